-- CreateTable
CREATE TABLE "operation" (
    "id" TEXT NOT NULL,
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
    "leaseExpiresAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "startedAt" TIMESTAMP(3),
    "finishedAt" TIMESTAMP(3),
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "operation_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "volume" (
    "id" TEXT NOT NULL,
    "hostId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "pool" TEXT NOT NULL,
    "sizeBytes" BIGINT NOT NULL,
    "allocatedBytes" BIGINT NOT NULL DEFAULT 0,
    "missingSince" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "volume_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "snapshot" (
    "id" TEXT NOT NULL,
    "volumeId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "sizeBytes" BIGINT NOT NULL,
    "takenAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "snapshot_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "lu" (
    "id" TEXT NOT NULL,
    "guid" TEXT NOT NULL,
    "hostId" TEXT NOT NULL,
    "volumeId" TEXT NOT NULL,
    "alias" TEXT,
    "exportName" TEXT NOT NULL,
    "uri" TEXT,
    "accessState" TEXT NOT NULL,
    "stateChangedAt" TIMESTAMP(3) NOT NULL,
    "missingSince" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "lu_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "drift" (
    "id" TEXT NOT NULL,
    "hostId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "problem" TEXT NOT NULL,
    "detectedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "drift_pkey" PRIMARY KEY ("id")
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

-- AddForeignKey
ALTER TABLE "volume" ADD CONSTRAINT "volume_hostId_fkey" FOREIGN KEY ("hostId") REFERENCES "host"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "snapshot" ADD CONSTRAINT "snapshot_volumeId_fkey" FOREIGN KEY ("volumeId") REFERENCES "volume"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "lu" ADD CONSTRAINT "lu_hostId_fkey" FOREIGN KEY ("hostId") REFERENCES "host"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "lu" ADD CONSTRAINT "lu_volumeId_fkey" FOREIGN KEY ("volumeId") REFERENCES "volume"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
