package org.plasticity.core;

import com.google.gson.Gson;
import com.google.gson.JsonObject;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** metrics.jsonl: one JSON object per logged step, {"step": N, "name": value, ...}. */
public final class MetricsLog {
  private static final Gson GSON = new Gson();
  private final Path file;

  public MetricsLog(Path file) {
    this.file = file;
  }

  public void append(long step, Map<String, ? extends Number> values) {
    JsonObject o = new JsonObject();
    o.addProperty("step", step);
    for (Map.Entry<String, ? extends Number> e : values.entrySet()) {
      double v = e.getValue().doubleValue();
      if (Double.isFinite(v)) {
        o.addProperty(e.getKey(), e.getValue());
      } else {
        o.addProperty(e.getKey(), Double.toString(v));
      }
    }
    try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8,
        StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
      w.write(GSON.toJson(o));
      w.write('\n');
    } catch (IOException e) {
      throw new UserError(file + ": cannot append metrics (" + e.getMessage() + ")", e);
    }
  }

  public List<JsonObject> read() {
    List<JsonObject> out = new ArrayList<>();
    if (!Files.exists(file)) {
      return out;
    }
    try {
      for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
        if (!line.isBlank()) {
          try {
            out.add(GSON.fromJson(line, JsonObject.class));
          } catch (RuntimeException e) {
            // a line cut short by a killed process: everything after it is dropped on resume
            break;
          }
        }
      }
    } catch (IOException e) {
      throw new UserError(file + ": cannot read metrics (" + e.getMessage() + ")", e);
    }
    return out;
  }

  /** Drops records after {@code step} (used on resume, so the log matches an uninterrupted run). */
  public void truncateAfter(long step) {
    StringBuilder sb = new StringBuilder();
    for (JsonObject o : read()) {
      if (o.get("step").getAsLong() <= step) {
        sb.append(GSON.toJson(o)).append('\n');
      }
    }
    try {
      AtomicFiles.writeString(file, sb.toString());
    } catch (IOException e) {
      throw new UserError(file + ": cannot rewrite metrics (" + e.getMessage() + ")", e);
    }
  }
}
