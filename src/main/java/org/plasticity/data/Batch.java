package org.plasticity.data;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A batch of examples: for each named field, the rows of that field flattened row-major
 * ({@code size * width} floats).
 */
public record Batch(int size, Map<String, float[]> fields) {
  public Batch {
    fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields));
  }

  public float[] field(String name) {
    float[] f = fields.get(name);
    if (f == null) {
      throw new IllegalArgumentException("batch has no field '" + name + "', only " + fields.keySet());
    }
    return f;
  }
}
