-- CreateTable
CREATE TABLE "operation" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "kind" TEXT NOT NULL,
    "subjectType" TEXT NOT NULL,
    "subjectId" TEXT NOT NULL,
    "subjectName" TEXT NOT NULL,
    "hostId" TEXT,
    "input" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "lockKey" TEXT,
    "result" TEXT,
    "error" TEXT,
    "errorCode" TEXT,
    "actor" TEXT NOT NULL,
    "reason" TEXT,
    "manual" BOOLEAN NOT NULL DEFAULT true,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "leaseOwner" TEXT,
    "leaseExpiresAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "startedAt" DATETIME,
    "finishedAt" DATETIME,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "volume" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "hostId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "pool" TEXT NOT NULL,
    "sizeBytes" BIGINT NOT NULL,
    "allocatedBytes" BIGINT NOT NULL DEFAULT 0,
    "missingSince" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "volume_hostId_fkey" FOREIGN KEY ("hostId") REFERENCES "host" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "snapshot" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "volumeId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "sizeBytes" BIGINT NOT NULL,
    "takenAt" DATETIME NOT NULL,
    CONSTRAINT "snapshot_volumeId_fkey" FOREIGN KEY ("volumeId") REFERENCES "volume" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "lu" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "guid" TEXT NOT NULL,
    "hostId" TEXT NOT NULL,
    "volumeId" TEXT NOT NULL,
    "alias" TEXT,
    "exportName" TEXT NOT NULL,
    "uri" TEXT,
    "accessState" TEXT NOT NULL,
    "stateChangedAt" DATETIME NOT NULL,
    "missingSince" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "lu_hostId_fkey" FOREIGN KEY ("hostId") REFERENCES "host" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "lu_volumeId_fkey" FOREIGN KEY ("volumeId") REFERENCES "volume" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "drift" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "hostId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "problem" TEXT NOT NULL,
    "detectedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateIndex
CREATE UNIQUE INDEX "operation_lockKey_key" ON "operation"("lockKey");

-- CreateIndex
CREATE INDEX "operation_status_leaseExpiresAt_idx" ON "operation"("status", "leaseExpiresAt");

-- CreateIndex
CREATE INDEX "operation_subjectType_subjectId_createdAt_idx" ON "operation"("subjectType", "subjectId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "volume_hostId_name_key" ON "volume"("hostId", "name");

-- CreateIndex
CREATE UNIQUE INDEX "snapshot_volumeId_name_key" ON "snapshot"("volumeId", "name");

-- CreateIndex
CREATE UNIQUE INDEX "lu_volumeId_key" ON "lu"("volumeId");

-- CreateIndex
CREATE UNIQUE INDEX "lu_hostId_guid_key" ON "lu"("hostId", "guid");

-- CreateIndex
CREATE UNIQUE INDEX "drift_hostId_kind_name_key" ON "drift"("hostId", "kind", "name");
