import type { Db } from "./client";

export type NewEvent = {
  kind: string;
  subjectType: string;
  subjectId: string;
  actor: string;
  message: string;
  data?: unknown;
  at?: Date;
};

export function appendEvent(db: Db, e: NewEvent) {
  return db.event.create({
    data: { ...e, data: e.data === undefined ? null : JSON.stringify(e.data), at: e.at ?? new Date() },
  });
}

export function listEvents(db: Db, filter: { subjectType?: string; subjectId?: string; limit: number }) {
  return db.event.findMany({
    where: { subjectType: filter.subjectType, subjectId: filter.subjectId },
    orderBy: { at: "desc" },
    take: filter.limit,
  });
}
