/**
 * Benchmarks (JMH) and the open-loop load generator.
 */
package io.basalt.perf;
