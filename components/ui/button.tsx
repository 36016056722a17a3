type Variant = "primary" | "secondary" | "ghost" | "danger" | "danger-ghost";
type Size = "md" | "sm";
type Props = React.ButtonHTMLAttributes<HTMLButtonElement> & { variant?: Variant; size?: Size };

const variants = {
  primary: "bg-sky-600 text-white shadow-sm hover:bg-sky-500 focus-visible:outline-sky-600 disabled:bg-sky-600/50",
  secondary:
    "bg-white text-slate-900 shadow-sm ring-1 ring-inset ring-slate-300 hover:bg-slate-50 disabled:text-slate-400 disabled:hover:bg-white dark:bg-slate-800 dark:text-slate-100 dark:ring-slate-700 dark:hover:bg-slate-700 dark:disabled:text-slate-500 dark:disabled:hover:bg-slate-800",
  ghost: "text-slate-600 hover:bg-slate-100 hover:text-slate-900 disabled:text-slate-400 disabled:hover:bg-transparent dark:text-slate-300 dark:hover:bg-slate-800 dark:hover:text-white dark:disabled:text-slate-600",
  danger: "bg-rose-600 text-white shadow-sm hover:bg-rose-500 focus-visible:outline-rose-600 disabled:bg-rose-600/50",
  "danger-ghost":
    "text-rose-600 hover:bg-rose-50 hover:text-rose-700 disabled:text-slate-400 disabled:hover:bg-transparent dark:text-rose-400 dark:hover:bg-rose-500/10 dark:hover:text-rose-300 dark:disabled:text-slate-600",
};
const sizes = { md: "px-3 py-2 text-sm", sm: "px-2 py-1 text-xs" };

/** The classes of a button, for links that look like one. */
export function buttonClass(variant: Variant = "primary", size: Size = "md", className = "") {
  return `inline-flex items-center justify-center gap-2 rounded-lg font-semibold transition focus-visible:outline-2 focus-visible:outline-offset-2 disabled:cursor-not-allowed ${sizes[size]} ${variants[variant]} ${className}`;
}

export function Button({ variant = "primary", size = "md", className = "", type = "button", ...rest }: Props) {
  return <button type={type} {...rest} className={buttonClass(variant, size, className)} />;
}
