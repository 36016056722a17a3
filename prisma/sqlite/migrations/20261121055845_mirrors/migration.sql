-- CreateTable
CREATE TABLE "mirror" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "description" TEXT,
    "pairId" TEXT NOT NULL,
    "sourceVolumeId" TEXT NOT NULL,
    "targetVolumeId" TEXT NOT NULL,
    "mode" TEXT NOT NULL,
    "speedLimitBytesPerSec" BIGINT NOT NULL DEFAULT 0,
    "rpoTargetSeconds" INTEGER,
    "epoch" INTEGER NOT NULL DEFAULT 1,
    "state" TEXT NOT NULL DEFAULT 'uninitialized',
    "stateReason" TEXT,
    "stateChangedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "phase" TEXT,
    "progressDone" BIGINT NOT NULL DEFAULT 0,
    "progressTotal" BIGINT NOT NULL DEFAULT 0,
    "lagBytes" BIGINT NOT NULL DEFAULT 0,
    "lagSeconds" REAL,
    "rateBytesPerSec" REAL NOT NULL DEFAULT 0,
    "converging" BOOLEAN NOT NULL DEFAULT true,
    "lastInSyncAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "mirror_endpoint" (
    "volumeId" TEXT NOT NULL PRIMARY KEY,
    "mirrorId" TEXT NOT NULL,
    "role" TEXT NOT NULL,
    CONSTRAINT "mirror_endpoint_mirrorId_fkey" FOREIGN KEY ("mirrorId") REFERENCES "mirror" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "mirror_sample" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "mirrorId" TEXT NOT NULL,
    "at" DATETIME NOT NULL,
    "rateBytesPerSec" REAL NOT NULL,
    "lagBytes" BIGINT NOT NULL,
    CONSTRAINT "mirror_sample_mirrorId_fkey" FOREIGN KEY ("mirrorId") REFERENCES "mirror" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE UNIQUE INDEX "mirror_name_key" ON "mirror"("name");

-- CreateIndex
CREATE UNIQUE INDEX "mirror_endpoint_mirrorId_role_key" ON "mirror_endpoint"("mirrorId", "role");

-- CreateIndex
CREATE INDEX "mirror_sample_mirrorId_at_idx" ON "mirror_sample"("mirrorId", "at");
