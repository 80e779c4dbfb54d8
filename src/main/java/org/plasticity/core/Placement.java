package org.plasticity.core;

import org.tensorflow.DeviceSpec;
import org.tensorflow.op.Ops;

/** Where a model's ops are placed: the default device, the CPU, or the first GPU. */
public enum Placement {
  DEFAULT,
  CPU,
  GPU;

  public Ops apply(Ops tf) {
    return switch (this) {
      case DEFAULT -> tf;
      case CPU -> tf.withDevice(DeviceSpec.newBuilder().deviceType(DeviceSpec.DeviceType.CPU).deviceIndex(0).build());
      case GPU -> tf.withDevice(DeviceSpec.newBuilder().deviceType(DeviceSpec.DeviceType.GPU).deviceIndex(0).build());
    };
  }
}
