/**
 * The Prometheus registry of one validator ({@link io.basalt.node.metrics.ValidatorRegistry}): the
 * client library's metric types, its text writer, JVM and process collectors, and the
 * {@code shard}/{@code validator} labels on every series. The metric names are listed in
 * docs/metrics.md.
 */
package io.basalt.node.metrics;
