// socket.io wiring: authenticated connections, room subscriptions, bus → rooms.
import type http from "node:http";
import { Server } from "socket.io";
import { z } from "zod";
import type { Bus } from "./bus";
import { roomName, roomsFor } from "./events";
import type { Identity } from "@/server/trpc/context";

export function attachSocketServer(
  httpServer: http.Server,
  bus: Bus,
  authenticate: (headers: Record<string, string | string[] | undefined>, token: string | undefined) => Promise<Identity | null>,
) {
  const io = new Server(httpServer, {
    path: "/socket.io",
    serveClient: false,
    // Other upgrade requests (Next's dev reloads) must not be cut off by socket.io.
    destroyUpgrade: false,
    cors: { origin: false },
  });

  io.use(async (socket, next) => {
    try {
      const tokenInput = z.string().max(200).optional().safeParse(socket.handshake.auth?.token);
      const identity = await authenticate(socket.handshake.headers, tokenInput.success ? tokenInput.data : undefined);
      if (!identity) return next(new Error("unauthorized"));
      socket.data.identity = identity;
      next();
    } catch {
      next(new Error("unauthorized"));
    }
  });

  io.on("connection", (socket) => {
    socket.join("dashboard");
    socket.on("subscribe", (room: unknown, ack?: (r: { ok: boolean; error?: string }) => void) => {
      const parsed = roomName.safeParse(room);
      if (!parsed.success) return ack?.({ ok: false, error: "unknown room" });
      socket.join(parsed.data);
      ack?.({ ok: true });
    });
    socket.on("unsubscribe", (room: unknown) => {
      const parsed = roomName.safeParse(room);
      if (parsed.success && parsed.data !== "dashboard") socket.leave(parsed.data);
    });
  });

  const unsubscribe = bus.subscribe((e) => {
    const rooms = roomsFor(e);
    io.to(rooms).emit("event", e);
  });

  return {
    io,
    close: () =>
      new Promise<void>((resolve) => {
        unsubscribe();
        io.close(() => resolve());
      }),
  };
}
