package org.plasticity.manifold;

import java.util.List;
import org.plasticity.config.ManifoldConfig;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * The closeness functions of the Dynamic Neural Manifold, vectorised over all destination
 * neurons: row r is non-input neuron i = n_in + r, column j is source neuron j.
 *
 * <pre>
 *   alpha = 2 sigmoid(a) - 1        beta = b + 1          gamma = sigmoid(g)
 *   theta = softplus(t) / ln 2      phi = phi             sigma = softplus(k s)   mu = k mu_raw
 *   (k = position_scale, 1 in the original)
 *   p     = j - i + disp_i,         disp = linspace(n_in, n_out, N - n_in)
 *   gauss = exp(-(p - mu)^2 / (2 sigma^2))
 *   sinp  = (0.501 + 0.5 sin(2 pi / (period theta) p + phi))^beta
 *   d     = alpha gauss (sinp - gamma)
 *   c     = sigmoid(cutoff)
 *   normed = |d| > c ? sign(d) (|d| - c) / (1 - c) : 0       (then masked to the DAG)
 * </pre>
 *
 * <p>With {@code input_plane} the columns of the input pixels hold a 2-D Gaussian per neuron
 * instead, d = a exp(-((y - my)^2 + (x - mx)^2) / (2 s^2)) (see {@link #planeRaw}).
 */
public final class Closeness {
  /** Raw (unbounded) trainable parameters, each [n_dst, 1]. */
  public record Params(
      Operand<TFloat32> alpha,
      Operand<TFloat32> beta,
      Operand<TFloat32> gamma,
      Operand<TFloat32> theta,
      Operand<TFloat32> phi,
      Operand<TFloat32> sigma,
      Operand<TFloat32> mu,
      Plane plane) {
    /** Without 2-D receptive fields. */
    public Params(Operand<TFloat32> alpha, Operand<TFloat32> beta, Operand<TFloat32> gamma, Operand<TFloat32> theta,
        Operand<TFloat32> phi, Operand<TFloat32> sigma, Operand<TFloat32> mu) {
      this(alpha, beta, gamma, theta, phi, sigma, mu, null);
    }
  }

  /**
   * Raw parameters of the 2-D receptive fields over the input pixels ({@code input_plane}), each
   * [n_dst, 1]: amplitude a = 2 sigmoid(alpha) - 1, centre (muRow, muCol) in pixels, width
   * softplus(sigma) in pixels.
   */
  public record Plane(Operand<TFloat32> alpha, Operand<TFloat32> muRow, Operand<TFloat32> muCol,
      Operand<TFloat32> sigma) {}

  /** The receptive fields' per-neuron factors: d = alpha exp(negHalfPrecision ((y - muRow)^2 + (x - muCol)^2)). */
  public record PlaneFactors(Operand<TFloat32> alpha, Operand<TFloat32> negHalfPrecision, Operand<TFloat32> muRow,
      Operand<TFloat32> muCol) {
    /** The factors in this order. */
    public List<Operand<TFloat32>> all() {
      return List.of(alpha, negHalfPrecision, muRow, muCol);
    }

    /** From four operands in the order of {@link #all()}. */
    public static PlaneFactors of(List<Operand<TFloat32>> f) {
      return new PlaneFactors(f.get(0), f.get(1), f.get(2), f.get(3));
    }
  }

  private Closeness() {}

  /** Positions p[r][j] = j - (n_in + r) + disp_r. */
  public static float[][] positions(ManifoldConfig m) {
    int nIn = m.getNInput();
    int nDst = m.getNComp() + m.getNOutput();
    int nSrc = nIn + m.getNComp();
    float[][] p = new float[nDst][nSrc];
    for (int r = 0; r < nDst; r++) {
      double disp = nDst == 1 ? nIn : nIn + (double) (m.getNOutput() - nIn) * r / (nDst - 1);
      for (int j = 0; j < nSrc; j++) {
        p[r][j] = (float) (j - (nIn + r) + disp);
      }
    }
    return p;
  }

  /**
   * The DAG mask: computational neuron i reads every source j < i; output neurons read every
   * input and computational neuron. Its number of ones is the original's max_knex.
   */
  public static float[][] mask(ManifoldConfig m) {
    int nIn = m.getNInput();
    int nComp = m.getNComp();
    int nDst = nComp + m.getNOutput();
    int nSrc = nIn + nComp;
    float[][] k = new float[nDst][nSrc];
    for (int r = 0; r < nDst; r++) {
      int limit = r < nComp ? nIn + r : nSrc;
      for (int j = 0; j < limit; j++) {
        k[r][j] = 1f;
      }
    }
    return k;
  }

  /** max_knex = (N^2 - n_in^2 - n_out^2 - n_comp) / 2, the number of allowed connections. */
  public static long maxConnections(ManifoldConfig m) {
    long n = (long) m.getNInput() + m.getNComp() + m.getNOutput();
    return (n * n - (long) m.getNInput() * m.getNInput() - (long) m.getNOutput() * m.getNOutput() - m.getNComp()) / 2;
  }

  /** The raw closeness d [n_dst, n_src]. */
  public static Operand<TFloat32> raw(Ops tf, ManifoldConfig m, Params q, Operand<TFloat32> positions) {
    if (q.plane() == null) {
      return raw1d(tf, m, q, positions);
    }
    // 2-D receptive fields over the pixels, the 1-D function over computational sources.
    Operand<TFloat32> compPositions = ChainForward.splitV(tf, positions, new int[] {m.getNInput(), m.getNComp()}, 1).get(1);
    float[][] yx = pixelCoordinates(m);
    Operand<TFloat32> fields = planeRaw(tf, planeFactors(tf, q.plane()),
        tf.constant(new float[][] {yx[0]}), tf.constant(new float[][] {yx[1]}));
    return tf.concat(List.of(fields, raw1d(tf, m, q, compPositions)), tf.constant(1));
  }

  /**
   * Row and column of every input pixel, [2][n_in], for an image {@code period} pixels wide.
   *
   * @throws org.plasticity.core.UserError if n_input is not a whole number of rows
   */
  public static float[][] pixelCoordinates(ManifoldConfig m) {
    int width = imageWidth(m, "input_plane");
    float[][] yx = new float[2][m.getNInput()];
    for (int j = 0; j < m.getNInput(); j++) {
      yx[0][j] = j / width;
      yx[1][j] = j % width;
    }
    return yx;
  }

  /**
   * The width of the input image, {@code period} pixels, for a switch that reads the inputs as an
   * image.
   *
   * @throws org.plasticity.core.UserError naming {@code field} if period is not a whole number
   *     dividing n_input
   */
  public static int imageWidth(ManifoldConfig m, String field) {
    int width = Math.round(m.getPeriod());
    if (width < 1 || width != m.getPeriod() || m.getNInput() % width != 0) {
      throw new org.plasticity.core.UserError("manifold.period: with " + field + " expected the image width, a whole"
          + " number dividing n_input (" + m.getNInput() + "), got " + m.getPeriod());
    }
    return width;
  }

  /** The receptive fields' factors from their raw parameters. */
  public static PlaneFactors planeFactors(Ops tf, Plane p) {
    Operand<TFloat32> alpha = amplitude(tf, p.alpha());
    Operand<TFloat32> negHalfPrecision = tf.math.div(tf.constant(-0.5f), tf.math.square(tf.math.softplus(p.sigma())));
    return new PlaneFactors(alpha, negHalfPrecision, p.muRow(), p.muCol());
  }

  /**
   * The receptive fields' raw closeness at pixel rows {@code y} and columns {@code x} (broadcast
   * against the factors: [1, n_in] for a whole block, or [E] with factors gathered per entry).
   */
  public static Operand<TFloat32> planeRaw(Ops tf, PlaneFactors f, Operand<TFloat32> y, Operand<TFloat32> x) {
    Operand<TFloat32> dy = tf.math.sub(y, f.muRow());
    Operand<TFloat32> dx = tf.math.sub(x, f.muCol());
    Operand<TFloat32> dist2 = tf.math.add(tf.math.square(dy), tf.math.square(dx));
    return tf.math.mul(tf.math.exp(tf.math.mul(dist2, f.negHalfPrecision())), f.alpha());
  }

  /** The original 1-D closeness at the given positions. */
  private static Operand<TFloat32> raw1d(Ops tf, ManifoldConfig m, Params q, Operand<TFloat32> positions) {
    Operand<TFloat32> one = tf.constant(1f);
    Operand<TFloat32> alpha = amplitude(tf, q.alpha());
    Operand<TFloat32> beta = tf.math.add(q.beta(), one);
    Operand<TFloat32> gamma = tf.math.sigmoid(q.gamma());
    Operand<TFloat32> theta = tf.math.div(tf.math.softplus(q.theta()), tf.constant((float) Math.log(2.0)));
    Operand<TFloat32> sigma = sigma(tf, m, q);

    Operand<TFloat32> dev = tf.math.sub(positions, mu(tf, m, q));
    Operand<TFloat32> gauss = tf.math.exp(tf.math.neg(tf.math.div(tf.math.square(dev),
        tf.math.mul(tf.constant(2f), tf.math.square(sigma)))));
    Operand<TFloat32> freq = tf.math.div(tf.constant((float) (2 * Math.PI)), tf.math.mul(tf.constant(m.getPeriod()), theta));
    Operand<TFloat32> wave = tf.math.sin(tf.math.add(tf.math.mul(freq, positions), q.phi()));
    Operand<TFloat32> sinp = tf.math.pow(tf.math.add(tf.constant(0.501f), tf.math.mul(tf.constant(0.5f), wave)), beta);
    return tf.math.mul(alpha, tf.math.mul(gauss, tf.math.sub(sinp, gamma)));
  }

  /**
   * The per-neuron factors of the closeness function, each shaped like the raw parameters:
   * d = alpha exp(negHalfPrecision (p - mu)^2) ((0.501 + 0.5 sin(freq p + phi))^beta - gamma).
   */
  public record Factors(Operand<TFloat32> alpha, Operand<TFloat32> beta, Operand<TFloat32> gamma,
      Operand<TFloat32> freq, Operand<TFloat32> phi, Operand<TFloat32> negHalfPrecision, Operand<TFloat32> mu) {
    /** The factors in this order. */
    public List<Operand<TFloat32>> all() {
      return List.of(alpha, beta, gamma, freq, phi, negHalfPrecision, mu);
    }

    /** From seven operands in the order of {@link #all()}. */
    public static Factors of(List<Operand<TFloat32>> f) {
      return new Factors(f.get(0), f.get(1), f.get(2), f.get(3), f.get(4), f.get(5), f.get(6));
    }
  }

  /** The factors from the raw parameters (cheap: one value per neuron). */
  public static Factors factors(Ops tf, ManifoldConfig m, Params q) {
    Operand<TFloat32> one = tf.constant(1f);
    Operand<TFloat32> alpha = amplitude(tf, q.alpha());
    Operand<TFloat32> theta = tf.math.div(tf.math.softplus(q.theta()), tf.constant((float) Math.log(2.0)));
    Operand<TFloat32> sigma = sigma(tf, m, q);
    Operand<TFloat32> freq = tf.math.div(tf.constant((float) (2 * Math.PI)), tf.math.mul(tf.constant(m.getPeriod()), theta));
    Operand<TFloat32> negHalfPrecision = tf.math.div(tf.constant(-0.5f), tf.math.square(sigma));
    return new Factors(alpha, tf.math.add(q.beta(), one), tf.math.sigmoid(q.gamma()), freq, q.phi(), negHalfPrecision,
        mu(tf, m, q));
  }

  /** An amplitude in (-1, 1) from its raw parameter: 2 sigmoid(raw) - 1 (alpha, and the 2-D fields' a). */
  static Operand<TFloat32> amplitude(Ops tf, Operand<TFloat32> raw) {
    return tf.math.sub(tf.math.mul(tf.constant(2f), tf.math.sigmoid(raw)), tf.constant(1f));
  }

  /** mu = position_scale mu_raw. */
  static Operand<TFloat32> mu(Ops tf, ManifoldConfig m, Params q) {
    return m.getPositionScale() == 1f ? q.mu() : tf.math.mul(q.mu(), tf.constant(m.getPositionScale()));
  }

  /** sigma = softplus(position_scale sigma_raw). */
  static Operand<TFloat32> sigma(Ops tf, ManifoldConfig m, Params q) {
    return tf.math.softplus(m.getPositionScale() == 1f ? q.sigma() : tf.math.mul(q.sigma(), tf.constant(m.getPositionScale())));
  }

  /**
   * The raw closeness from precomputed factors, with the power as exp(beta ln base) (base >=
   * 0.001 > 0; several times cheaper than Pow and its gradient on this CPU build, equal to float
   * rounding): the fast path's form of {@link #raw}, fewest full-size passes.
   */
  public static Operand<TFloat32> raw(Ops tf, Factors f, Operand<TFloat32> positions) {
    Operand<TFloat32> dev = tf.math.sub(positions, f.mu());
    Operand<TFloat32> gauss = tf.math.exp(tf.math.mul(tf.math.square(dev), f.negHalfPrecision()));
    Operand<TFloat32> wave = tf.math.sin(tf.math.add(tf.math.mul(positions, f.freq()), f.phi()));
    Operand<TFloat32> base = tf.math.add(tf.math.mul(wave, tf.constant(0.5f)), tf.constant(0.501f));
    Operand<TFloat32> sinp = tf.math.exp(tf.math.mul(tf.math.log(base), f.beta()));
    return tf.math.mul(tf.math.mul(gauss, tf.math.sub(sinp, f.gamma())), f.alpha());
  }

  /**
   * The flow-conservation loss (A - B)^2: A sums |closeness| over input->computational
   * connections, B over computational->output connections.
   */
  public static Operand<TFloat32> flowLoss(Ops tf, Operand<TFloat32> closeness, int nIn, int nComp, int nOut) {
    List<Operand<TFloat32>> rows = ChainForward.splitV(tf, tf.math.abs(closeness), new int[] {nComp, nOut}, 0);
    Operand<TFloat32> inflow = tf.sum(ChainForward.splitV(tf, rows.get(0), new int[] {nIn, nComp}, 1).get(0),
        tf.constant(new int[] {0, 1}));
    Operand<TFloat32> outflow = tf.sum(ChainForward.splitV(tf, rows.get(1), new int[] {nIn, nComp}, 1).get(1),
        tf.constant(new int[] {0, 1}));
    return tf.math.square(tf.math.sub(inflow, outflow));
  }

  /** sign(d) max(|d| - c, 0) / (1 - c), masked to the DAG: the effective adjacency. */
  public static Operand<TFloat32> applyCutoff(Ops tf, Operand<TFloat32> d, Operand<TFloat32> c, Operand<TFloat32> mask) {
    Operand<TFloat32> shrunk = tf.nn.relu(tf.math.sub(tf.math.abs(d), c));
    Operand<TFloat32> normed = tf.math.div(tf.math.mul(tf.math.sign(d), shrunk), tf.math.sub(tf.constant(1f), c));
    return tf.math.mul(normed, mask);
  }
}
