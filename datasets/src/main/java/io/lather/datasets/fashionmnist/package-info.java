/**
 * Fashion-MNIST from Debian's {@code dataset-fashion-mnist} package into Lather tables; see
 * {@link io.lather.datasets.fashionmnist.FashionMnist}.
 */
package io.lather.datasets.fashionmnist;
