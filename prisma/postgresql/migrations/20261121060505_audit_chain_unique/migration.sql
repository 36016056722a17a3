-- CreateIndex
CREATE UNIQUE INDEX "audit_record_prevHash_key" ON "audit_record"("prevHash");
