"use client";
// One socket.io connection per tab. Events are small deltas patched into the query cache;
// after a reconnect everything is refetched once, because events may have been missed.
import { useEffect, useState } from "react";
import { io, type Socket } from "socket.io-client";
import { useQueryClient } from "@tanstack/react-query";
import { useTRPC } from "@/lib/trpc";
import type { RealtimeEvent } from "@/server/realtime/events";
import { applyHostEvent } from "@/components/hosts/host-cache";
import { applyStorageEvent } from "@/components/storage/storage-cache";
import { applyMirrorEvent } from "@/components/mirrors/mirror-cache";

export type LiveState = "connecting" | "live" | "offline";

export function useRealtime(): LiveState {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [state, setState] = useState<LiveState>("connecting");

  useEffect(() => {
    const socket: Socket = io({ path: "/socket.io", transports: ["websocket"], withCredentials: true });
    let connectedBefore = false;
    socket.on("connect", () => {
      setState("live");
      if (connectedBefore) void queryClient.invalidateQueries();
      connectedBefore = true;
    });
    socket.on("disconnect", () => setState("offline"));
    socket.on("connect_error", () => setState("offline"));
    socket.on("event", (e: RealtimeEvent) => {
      if (e.type === "host.status" || e.type === "host.facts") {
        applyHostEvent(queryClient, trpc.host.list.queryKey(), e);
        if (e.type === "host.status") void queryClient.invalidateQueries({ queryKey: trpc.host.get.queryKey({ name: e.name }) });
        if (e.type === "host.status") {
          // A host coming back or going away changes what its agent reports about ALUA, and
          // the health of every mirror with an end on it (and the dashboard's hosts online).
          void queryClient.invalidateQueries(trpc.alua.get.pathFilter());
          void queryClient.invalidateQueries(trpc.mirror.list.pathFilter());
          void queryClient.invalidateQueries(trpc.mirror.get.pathFilter());
          void queryClient.invalidateQueries(trpc.mirror.dashboard.pathFilter());
          void queryClient.invalidateQueries(trpc.mirror.plan.pathFilter());
        }
      } else if (e.type === "storage.changed" || e.type === "lu.state") {
        applyStorageEvent(queryClient, trpc, e);
      } else if (e.type === "mirror.progress" || e.type === "mirror.state" || e.type === "mirror.changed" || e.type === "operation.step") {
        applyMirrorEvent(queryClient, trpc, e);
        // A step starting, ending or failing may change the operation's own status.
        if (e.type === "operation.step" && e.bytesDone === null) void queryClient.invalidateQueries({ queryKey: trpc.operation.get.queryKey({ id: e.operationId }) });
      } else if (e.type === "operation.finished" || e.type === "operation.queued") {
        void queryClient.invalidateQueries(trpc.operation.list.pathFilter());
        void queryClient.invalidateQueries({ queryKey: trpc.operation.get.queryKey({ id: e.operationId }) });
        // Requests and outcomes are audited.
        void queryClient.invalidateQueries(trpc.audit.list.pathFilter());
        applyMirrorEvent(queryClient, trpc, e);
      }
    });
    return () => {
      socket.disconnect();
    };
  }, [queryClient, trpc]);

  return state;
}
