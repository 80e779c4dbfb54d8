package org.plasticity.manifold;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.plasticity.config.ManifoldConfig;

/**
 * The wiring a trained manifold has: which connections are active (nonzero closeness), which
 * neurons lie on an active input-to-output path, and the longest such path.
 */
public final class Topology {
  private final ManifoldConfig m;
  private final float[] closeness; // [n_dst * n_src] row-major
  private final int nIn;
  private final int nComp;
  private final int nOut;
  private final int nSrc;

  public Topology(ManifoldConfig m, float[] closeness) {
    this.m = m;
    this.closeness = closeness;
    this.nIn = m.getNInput();
    this.nComp = m.getNComp();
    this.nOut = m.getNOutput();
    this.nSrc = nIn + nComp;
  }

  /** Closeness of the connection from source j into non-input neuron (n_in + r). */
  public float weight(int r, int j) {
    return closeness[r * nSrc + j];
  }

  public long activeConnections() {
    long n = 0;
    for (float v : closeness) {
      if (v != 0f) {
        n++;
      }
    }
    return n;
  }

  public double activeFraction() {
    return activeConnections() / (double) Closeness.maxConnections(m);
  }

  /**
   * Active connections by kind: input->computational, computational->computational,
   * input->output, computational->output, and of all of them those between two neurons on an
   * active input->output path. (A pruned export keeps more: also the connections of neurons that
   * reach an output but that no input reaches, which act as constants.)
   */
  public long[] connectionsByKind() {
    return connectionsByKind(live());
  }

  private long[] connectionsByKind(boolean[] live) {
    long[] n = new long[5];
    for (int r = 0; r < nComp + nOut; r++) {
      int limit = r < nComp ? nIn + r : nSrc;
      boolean liveDst = live[nIn + r];
      for (int j = 0; j < limit; j++) {
        if (weight(r, j) != 0f) {
          n[(r < nComp ? 0 : 2) + (j < nIn ? 0 : 1)]++;
          n[4] += liveDst && live[j] ? 1 : 0;
        }
      }
    }
    return n;
  }

  /**
   * Longest active path from an input to an output, counted in connections, or 0 when no
   * output is reachable. Neurons are in topological order by index, so one pass suffices.
   */
  public int longestPath() {
    int n = nSrc + nOut;
    int[] depth = new int[n]; // longest path from any input ending at neuron, -1: unreachable
    Arrays.fill(depth, -1);
    for (int i = 0; i < nIn; i++) {
      depth[i] = 0;
    }
    int best = 0;
    for (int r = 0; r < nComp + nOut; r++) {
      int i = nIn + r;
      int limit = r < nComp ? i : nSrc;
      int d = -1;
      for (int j = 0; j < limit; j++) {
        if (depth[j] >= 0 && weight(r, j) != 0f) {
          d = Math.max(d, depth[j] + 1);
        }
      }
      depth[i] = d;
      if (r >= nComp) {
        best = Math.max(best, d);
      }
    }
    return best;
  }

  /** Non-input neurons from which some output can be reached (or that are outputs) and that some input reaches. */
  public boolean[] live() {
    int n = nSrc + nOut;
    boolean[] fromInput = new boolean[n];
    for (int i = 0; i < nIn; i++) {
      fromInput[i] = true;
    }
    for (int r = 0; r < nComp + nOut; r++) {
      int limit = r < nComp ? nIn + r : nSrc;
      for (int j = 0; j < limit && !fromInput[nIn + r]; j++) {
        fromInput[nIn + r] = fromInput[j] && weight(r, j) != 0f;
      }
    }
    boolean[] toOutput = new boolean[n];
    for (int o = 0; o < nOut; o++) {
      toOutput[nSrc + o] = true;
    }
    for (int j = nSrc - 1; j >= 0; j--) {
      for (int r = Math.max(0, j - nIn + 1); r < nComp + nOut && !toOutput[j]; r++) {
        if (r < nComp && j >= nIn + r) {
          continue;
        }
        toOutput[j] = toOutput[nIn + r] && weight(r, j) != 0f;
      }
    }
    boolean[] live = new boolean[n];
    for (int i = 0; i < n; i++) {
      live[i] = fromInput[i] && toOutput[i];
    }
    return live;
  }

  public List<String> describe() {
    boolean[] live = live();
    int liveIn = 0, liveComp = 0;
    for (int i = 0; i < nIn; i++) {
      liveIn += live[i] ? 1 : 0;
    }
    for (int i = nIn; i < nSrc; i++) {
      liveComp += live[i] ? 1 : 0;
    }
    int perNeuron = m.getInputPlane() ? 11 : 7;
    long params = (long) perNeuron * (nComp + nOut) + 2L * nSrc + 1;
    String extra = "";
    if (m.getConnectionWeights()) {
      // one trainable weight per allowed connection (only the active ones act)
      params += Closeness.maxConnections(m);
      extra = String.format(", %d connection weights (one per allowed connection)", Closeness.maxConnections(m));
    }
    List<String> out = new ArrayList<>();
    out.add(String.format("neurons: %d input, %d computational, %d output (%d in all)", nIn, nComp, nOut, nSrc + nOut));
    out.add(String.format("on an active input->output path: %d input, %d computational", liveIn, liveComp));
    out.add(String.format("parameters: %d (%d closeness parameters x %d non-input neurons%s, weight+bias x %d sources,"
        + " 1 cutoff%s)", params, perNeuron, nComp + nOut, m.getInputPlane() ? " incl. 4 of the 2-D fields" : "", nSrc, extra));
    out.add(String.format("active connections: %d of %d allowed (%.4f)", activeConnections(),
        Closeness.maxConnections(m), activeFraction()));
    long[] kinds = connectionsByKind(live);
    out.add(String.format("active connections by kind: input->comp %d, comp->comp %d, input->output %d,"
        + " comp->output %d; %d of them between neurons on an active input->output path",
        kinds[0], kinds[1], kinds[2], kinds[3], kinds[4]));
    out.add(String.format("longest active input->output path: %d connections", longestPath()));
    return out;
  }
}
