/** Benchmarks, run with benchmarks/run; see docs/benchmarks.md. */
package io.hookflow.bench;
