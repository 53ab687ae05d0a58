/**
 * The open-loop load generator: an in-process local cluster, pre-signed Transfers submitted at a
 * fixed rate whatever the cluster does, latency from each transaction's intended send time to the
 * COMMITTED event, and reports (Markdown, CSV, a PNG plot). Entry point: {@link
 * io.basalt.perf.load.LoadGenerator}, run by {@code scripts/load}; results in docs/benchmarks.md.
 *
 * <pre>
 *   LoadGenerator ── LocalCluster (1 shard × n, IPC) ── Funding (faucet → K senders, wait COMMITTED everywhere)
 *        │
 *        ├─ per step: SignedWorkload.sign (all Transfers, before the clock starts)
 *        │            OpenLoopRun: submitter threads ── NodeApi.submit, round-robin over validators
 *        │                         CommitTracker (a FinalityListener per validator) ── commit times
 *        │            LatencyAccounting: raw arrays ──▶ StepResult (HdrHistogram, rates, rejects, CPU)
 *        └─ LoadReport: summary.md, summary.csv, latency-*.csv, latency-vs-rate.png (LatencyPlot)
 * </pre>
 */
package io.basalt.perf.load;
