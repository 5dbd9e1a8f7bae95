#!/bin/bash
# Runs a fleetsim sweep as an AWS Batch array job of SHARDS children, then a merge job that
# starts once every child has succeeded. Each child runs `fleetsim sweep --shard auto`, which
# reads AWS_BATCH_JOB_ARRAY_INDEX and AWS_BATCH_JOB_ARRAY_SIZE, and copies its shard folder to
# $RESULTS/shard-<index>; the merge job copies them back, runs `fleetsim merge` and uploads
# $RESULTS/merged.
#
#   QUEUE=fleetsim-queue RESULTS=s3://your-bucket/fleetsim/run-1 SHARDS=8 ./aws-batch.sh
#
# Edit the image, role and sizes in aws-batch-shard.json and aws-batch-merge.json first; the
# job role needs s3:ListBucket, s3:GetObject and s3:PutObject on the RESULTS prefix.
set -euo pipefail

here=$(dirname "$0")
: "${QUEUE:?set QUEUE to the AWS Batch job queue}"
: "${RESULTS:?set RESULTS to an S3 prefix for this sweep, e.g. s3://your-bucket/fleetsim/run-1}"
SHARDS=${SHARDS:-8} # an AWS Batch array holds 2 to 10000 children

aws batch register-job-definition --cli-input-json "file://$here/aws-batch-shard.json" >/dev/null
aws batch register-job-definition --cli-input-json "file://$here/aws-batch-merge.json" >/dev/null

# RESULTS overrides the job definitions' placeholder in both jobs.
overrides="environment=[{name=RESULTS,value=$RESULTS}]"
array_job=$(aws batch submit-job --job-name fleetsim-sweep --job-queue "$QUEUE" \
    --job-definition fleetsim-shard --array-properties "size=$SHARDS" \
    --container-overrides "$overrides" --query jobId --output text)
# A job that depends on the array job itself (not on one child) waits for every child.
merge_job=$(aws batch submit-job --job-name fleetsim-merge --job-queue "$QUEUE" \
    --job-definition fleetsim-merge --depends-on "jobId=$array_job" \
    --container-overrides "$overrides" --query jobId --output text)

echo "array job $array_job ($SHARDS shards), then merge job $merge_job"
echo "results: $RESULTS/merged/"
