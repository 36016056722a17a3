-- CreateTable
CREATE TABLE "mirror" (
    "id" TEXT NOT NULL,
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
    "stateChangedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "phase" TEXT,
    "progressDone" BIGINT NOT NULL DEFAULT 0,
    "progressTotal" BIGINT NOT NULL DEFAULT 0,
    "lagBytes" BIGINT NOT NULL DEFAULT 0,
    "lagSeconds" DOUBLE PRECISION,
    "rateBytesPerSec" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "converging" BOOLEAN NOT NULL DEFAULT true,
    "lastInSyncAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "mirror_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "mirror_endpoint" (
    "volumeId" TEXT NOT NULL,
    "mirrorId" TEXT NOT NULL,
    "role" TEXT NOT NULL,

    CONSTRAINT "mirror_endpoint_pkey" PRIMARY KEY ("volumeId")
);

-- CreateTable
CREATE TABLE "mirror_sample" (
    "id" TEXT NOT NULL,
    "mirrorId" TEXT NOT NULL,
    "at" TIMESTAMP(3) NOT NULL,
    "rateBytesPerSec" DOUBLE PRECISION NOT NULL,
    "lagBytes" BIGINT NOT NULL,

    CONSTRAINT "mirror_sample_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "mirror_name_key" ON "mirror"("name");

-- CreateIndex
CREATE UNIQUE INDEX "mirror_endpoint_mirrorId_role_key" ON "mirror_endpoint"("mirrorId", "role");

-- CreateIndex
CREATE INDEX "mirror_sample_mirrorId_at_idx" ON "mirror_sample"("mirrorId", "at");

-- AddForeignKey
ALTER TABLE "mirror_endpoint" ADD CONSTRAINT "mirror_endpoint_mirrorId_fkey" FOREIGN KEY ("mirrorId") REFERENCES "mirror"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "mirror_sample" ADD CONSTRAINT "mirror_sample_mirrorId_fkey" FOREIGN KEY ("mirrorId") REFERENCES "mirror"("id") ON DELETE CASCADE ON UPDATE CASCADE;
