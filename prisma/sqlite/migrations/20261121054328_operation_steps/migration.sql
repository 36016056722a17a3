-- CreateTable
CREATE TABLE "operation_step" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "operationId" TEXT NOT NULL,
    "index" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "startedAt" DATETIME,
    "finishedAt" DATETIME,
    "output" TEXT,
    "error" TEXT,
    "bytesDone" BIGINT NOT NULL DEFAULT 0,
    "bytesTotal" BIGINT
);

-- CreateIndex
CREATE INDEX "operation_step_operationId_index_idx" ON "operation_step"("operationId", "index");

-- CreateIndex
CREATE UNIQUE INDEX "operation_step_operationId_name_key" ON "operation_step"("operationId", "name");
