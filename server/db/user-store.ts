import type { Db } from "./client";

export function countUsers(db: Db) {
  return db.user.count();
}

export function findUserByUsername(db: Db, username: string) {
  return db.user.findUnique({ where: { username } });
}

export function findUserById(db: Db, id: string) {
  return db.user.findUnique({ where: { id } });
}

export function listUsers(db: Db) {
  return db.user.findMany({ orderBy: { username: "asc" } });
}

export async function setUserRole(db: Db, id: string, role: string) {
  return db.user.update({ where: { id }, data: { role } });
}
