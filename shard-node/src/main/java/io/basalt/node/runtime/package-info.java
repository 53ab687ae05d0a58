/**
 * The validator at run time: agents (consensus, execution), Disruptor pipelines (ingest,
 * execution), metrics, {@link io.basalt.node.runtime.ValidatorNode} and the in-process
 * {@link io.basalt.node.runtime.LocalCluster}. Topology and choices: {@code docs/node.md}.
 */
package io.basalt.node.runtime;
