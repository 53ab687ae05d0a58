/**
 * The open-loop load generator: an in-process local cluster, pre-signed transactions submitted at a
 * fixed rate whatever the cluster does, latency from each transaction's intended send time to its
 * finality events, and reports (Markdown, CSV, PNG plots). Entry point: {@link
 * io.basalt.perf.load.LoadGenerator}, run by {@code scripts/load}; results in docs/benchmarks.md.
 *
 * <pre>
 *   one shard (default)
 *   LoadGenerator ── LocalCluster (1 shard × n, IPC) ── Funding (faucet → K senders, wait COMMITTED everywhere)
 *        │
 *        ├─ per step: SignedWorkload.sign (all Transfers, before the clock starts)
 *        │            OpenLoopRun: submitter threads ── NodeApi.submit, round-robin over validators
 *        │                         CommitTracker (a FinalityListener per validator) ── commit times
 *        │            LatencyAccounting: raw arrays ──▶ StepResult (HdrHistogram, rates, rejects, CPU)
 *        └─ LoadReport: summary.md, summary.csv, latency-*.csv, latency-vs-rate.png (LatencyPlot)
 *
 *   --shards S ≥ 2 (mixed workload) and --scale (shard-count sweep, same-shard transfers only)
 *   LoadGenerator ── MultiShard: LocalCluster (S × n) ── per shard: Funding (asset 0; with swaps,
 *        │                       CreateAsset of the shard's swap asset and its funding)
 *        ├─ step: MixPlan (kind, source and other shard, submitting validator of each transaction)
 *        │        MixedWorkload.sign (transfers, two-signature swaps) ── OpenLoopRun.send
 *        │        MixedTracker: COMMITTED here, SETTLED here, SETTLED on the other shard's validator 0
 *        │        MixedAccounting: MixedRaw ──▶ MixedResult (per kind, per Series)
 *        └─ MixedReport: summary.md/.csv, latency-SERIES.csv, latency-by-kind.png (MixedPlot);
 *           ScaleReport: scale.md/.csv (committed tx/s per core by shard count) + shards-S/ per run
 * </pre>
 */
package io.basalt.perf.load;
