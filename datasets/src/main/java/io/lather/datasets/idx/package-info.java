/**
 * Reader for IDX files, the binary format of MNIST and Fashion-MNIST. Pure Java (no Spark), so it can be
 * unit-tested and reused anywhere; {@link io.lather.datasets.fashionmnist.FashionMnist} turns its output
 * into Lather tables.
 */
package io.lather.datasets.idx;
