package io.basalt.perf.load;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.Stroke;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;
import org.HdrHistogram.HistogramIterationValue;

/**
 * Draws a multi-shard step's latency distributions as a PNG with java.awt only (headless): latency
 * (ms, log) against percentile (x = log10 of 1/(1 − p), so 90%, 99%, 99.9% are evenly spaced), one
 * line per series, headline series thick, the others thin and dashed.
 */
final class MixedPlot {
    static final int WIDTH = 1100;
    static final int HEIGHT = 680;
    private static final int LEFT = 80;
    private static final int RIGHT = 30;
    private static final int TOP = 60;
    private static final int BOTTOM = 190;
    /** Right end of the x axis: 99.99%. */
    private static final double X_MAX = 4;
    private static final Stroke THICK = new BasicStroke(2.5f);
    private static final Stroke THIN = new BasicStroke(1f);
    private static final Stroke DASHED = new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10,
        new float[] {6, 4}, 0);
    private static final Color[] COLORS = {new Color(0x1f77b4), new Color(0x9467bd), new Color(0x2ca02c),
        new Color(0xff7f0e), new Color(0x8c564b), new Color(0xd62728), new Color(0x7f7f7f)};

    private MixedPlot() {
    }

    /** One line: (x = log10(1/(1-p)), latency ms) points. */
    private record Line(MixedResult.SeriesStats stats, List<double[]> points) {
    }

    static void write(final Path file, final MixedResult result) throws IOException {
        System.setProperty("java.awt.headless", "true");
        final List<Line> lines = new ArrayList<>();
        double lo = Double.MAX_VALUE;
        double hi = 0;
        for (final MixedResult.SeriesStats s : result.series()) {
            if (s.latencyNs().getTotalCount() == 0) {
                continue;
            }
            final List<double[]> points = new ArrayList<>();
            for (final HistogramIterationValue v : s.latencyNs().percentiles(5)) {
                final double p = v.getPercentileLevelIteratedTo() / 100.0;
                final double x = p >= 1 ? X_MAX : Math.min(X_MAX, Math.log10(1 / (1 - p)));
                final double ms = Math.max(0.01, v.getValueIteratedTo() / 1e6);
                points.add(new double[] {x, ms});
                lo = Math.min(lo, ms);
                hi = Math.max(hi, ms);
                if (x >= X_MAX) {
                    break;
                }
            }
            lines.add(new Line(s, points));
        }
        final BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        final Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, WIDTH, HEIGHT);
            final int w = WIDTH - LEFT - RIGHT;
            final int h = HEIGHT - TOP - BOTTOM;
            final double yMin = lines.isEmpty() ? 0 : Math.floor(Math.log10(lo));
            final double yMax = lines.isEmpty() ? 1 : Math.max(yMin + 1, Math.ceil(Math.log10(hi)));
            g.setColor(Color.BLACK);
            g.setStroke(THIN);
            g.drawRect(LEFT, TOP, w, h);
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
            g.drawString(String.format(Locale.ROOT, "Latency from intended send time by kind, %d shards, %,.0f tx/s offered "
                + "(ms, log)", result.shards(), result.offeredPerSecond()), LEFT, TOP - 16);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
            for (int d = (int) yMin; d <= (int) yMax; d++) {
                final int y = TOP + h - (int) Math.round((d - yMin) / (yMax - yMin) * h);
                g.setColor(new Color(0xe0e0e0));
                g.drawLine(LEFT, y, LEFT + w, y);
                g.setColor(Color.BLACK);
                final double value = Math.pow(10, d);
                final String label = value >= 1 ? String.format(Locale.ROOT, "%,.0f", value)
                    : String.format(Locale.ROOT, "%s", value);
                g.drawString(label, LEFT - 8 - g.getFontMetrics().stringWidth(label), y + 5);
            }
            final String[] percentiles = {"0%", "90%", "99%", "99.9%", "99.99%"};
            for (int d = 0; d <= (int) X_MAX; d++) {
                final int x = LEFT + (int) Math.round(d / X_MAX * w);
                g.setColor(new Color(0xe0e0e0));
                g.drawLine(x, TOP, x, TOP + h);
                g.setColor(Color.BLACK);
                g.drawString(percentiles[d], x - g.getFontMetrics().stringWidth(percentiles[d]) / 2, TOP + h + 18);
            }
            g.drawString("percentile", LEFT + w / 2 - 30, TOP + h + 38);
            int legendY = TOP + h + 62;
            for (final Line line : lines) {
                final Series series = line.stats().series();
                g.setColor(COLORS[series.ordinal() % COLORS.length]);
                g.setStroke(series.headline() ? THICK : DASHED);
                int prevX = -1;
                int prevY = -1;
                for (final double[] p : line.points()) {
                    final int x = LEFT + (int) Math.round(p[0] / X_MAX * w);
                    final int y = TOP + h - (int) Math.round((Math.log10(p[1]) - yMin) / (yMax - yMin) * h);
                    if (prevX >= 0) {
                        g.drawLine(prevX, prevY, x, y);
                    }
                    prevX = x;
                    prevY = y;
                }
                g.drawLine(LEFT, legendY - 5, LEFT + 30, legendY - 5);
                g.setColor(Color.BLACK);
                g.drawString(String.format(Locale.ROOT, "%s → %s (p50 %s ms)", series.kind().label(), series.event(),
                    LoadReport.ms(line.stats().latencyMs(50))), LEFT + 40, legendY);
                legendY += 17;
            }
        } finally {
            g.dispose();
        }
        ImageIO.write(image, "png", file.toFile());
    }
}
