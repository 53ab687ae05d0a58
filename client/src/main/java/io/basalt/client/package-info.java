/**
 * The Java SDK and the basalt command line.
 */
package io.basalt.client;
