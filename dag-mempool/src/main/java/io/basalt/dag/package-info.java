/**
 * The consensus core: an uncertified DAG with a three-message-delay commit rule. Pure state machines: time, network and storage come in through interfaces.
 */
package io.basalt.dag;
