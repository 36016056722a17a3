// At most one operation runs per mirror.
export const mirrorLock = (mirrorId: string) => `mirror:${mirrorId}`;
