-- AlterTable
ALTER TABLE "mirror" ADD COLUMN     "autoFailoverAfterSeconds" INTEGER;
