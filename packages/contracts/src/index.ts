export * from "./agent";
export * from "./storage";
export * from "./replication";
export * from "./failover";
