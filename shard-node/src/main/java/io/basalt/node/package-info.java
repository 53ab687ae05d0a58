/**
 * The validator process: Aeron transport, Disruptor pipelines, execution, Chronicle Map state, commit log and gateways.
 */
package io.basalt.node;
