package io.basalt.perf.load;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.Stroke;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import java.util.function.ToDoubleFunction;
import javax.imageio.ImageIO;

/**
 * Draws the sweep as a PNG with java.awt only (headless): on the left, latency percentiles against
 * offered rate (both axes logarithmic; the 2 ms p50 and 10 ms p99 targets as dotted lines); on the
 * right, accepted and committed rate against offered rate, with the ideal y = x.
 */
final class LatencyPlot {
    static final int WIDTH = 1400;
    static final int HEIGHT = 640;
    private static final int MARGIN_LEFT = 80;
    private static final int MARGIN_RIGHT = 30;
    private static final int MARGIN_TOP = 60;
    private static final int MARGIN_BOTTOM = 110;
    /** The step drawn as a ring beside the sweep's lines. */
    static final String HIGHLIGHTED = "half-saturation";
    private static final Stroke LINE = new BasicStroke(2.5f);
    private static final Stroke THIN = new BasicStroke(1f);
    private static final Stroke DOTTED = new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10,
        new float[] {4, 4}, 0);

    private record Series(String name, Color color, ToDoubleFunction<StepResult> value) {
    }

    /** A panel's area and axis ranges (logarithmic: the ranges are log10 of the values). */
    private record Panel(int x, int y, int w, int h, double xMin, double xMax, double yMin, double yMax) {
        int px(final double value) {
            return x + (int) Math.round((Math.log10(value) - xMin) / (xMax - xMin) * w);
        }

        int py(final double value) {
            return y + h - (int) Math.round((Math.log10(value) - yMin) / (yMax - yMin) * h);
        }
    }

    private LatencyPlot() {
    }

    static void write(final Path file, final List<StepResult> steps) throws IOException {
        System.setProperty("java.awt.headless", "true");
        final BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        final Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, WIDTH, HEIGHT);
            final List<StepResult> sorted = new ArrayList<>(steps);
            sorted.sort(Comparator.comparingDouble(StepResult::offeredPerSecond));
            final int panelWidth = (WIDTH - 2 * (MARGIN_LEFT + MARGIN_RIGHT)) / 2;
            drawLatency(g, sorted, MARGIN_LEFT, panelWidth);
            drawThroughput(g, sorted, 2 * MARGIN_LEFT + MARGIN_RIGHT + panelWidth, panelWidth);
        } finally {
            g.dispose();
        }
        ImageIO.write(image, "png", file.toFile());
    }

    private static void drawLatency(final Graphics2D g, final List<StepResult> steps, final int left, final int width) {
        final List<Series> series = List.of(
            new Series("p50", new Color(0x1f77b4), s -> s.latencyMs(50)),
            new Series("p90", new Color(0x2ca02c), s -> s.latencyMs(90)),
            new Series("p99", new Color(0xff7f0e), s -> s.latencyMs(99)),
            new Series("p99.9", new Color(0xd62728), s -> s.latencyMs(99.9)),
            new Series("max", Color.GRAY, StepResult::maxLatencyMs));
        double lo = 1;
        double hi = 10;
        for (final StepResult s : steps) {
            for (final Series line : series) {
                final double v = line.value().applyAsDouble(s);
                if (v > 0 && !Double.isNaN(v)) {
                    lo = Math.min(lo, v);
                    hi = Math.max(hi, v);
                }
            }
        }
        final Panel p = new Panel(left, MARGIN_TOP, width, HEIGHT - MARGIN_TOP - MARGIN_BOTTOM,
            rateMin(steps), rateMax(steps), Math.floor(Math.log10(lo)), Math.ceil(Math.log10(hi)));
        frame(g, p, "Latency, intended send → COMMITTED (ms, log)", "offered rate (tx/s, log)", steps);
        for (int d = (int) p.yMin(); d <= (int) p.yMax(); d++) {
            yTick(g, p, Math.pow(10, d));
        }
        g.setStroke(DOTTED);
        for (final double target : new double[] {2, 10}) {
            if (Math.log10(target) >= p.yMin() && Math.log10(target) <= p.yMax()) {
                g.setColor(new Color(0x7f7f7f));
                g.drawLine(p.x(), p.py(target), p.x() + p.w(), p.py(target));
                g.drawString(String.format(Locale.ROOT, "target %s", target == 2 ? "p50 2 ms" : "p99 10 ms"),
                    p.x() + 6, p.py(target) - 4);
            }
        }
        drawSeries(g, p, steps, series);
    }

    private static void drawThroughput(final Graphics2D g, final List<StepResult> steps, final int left, final int width) {
        final List<Series> series = List.of(
            new Series("offered (ideal)", Color.LIGHT_GRAY, StepResult::offeredPerSecond),
            new Series("accepted", new Color(0x9467bd), StepResult::acceptedPerSecond),
            new Series("committed", new Color(0x1f77b4), StepResult::committedPerSecond));
        final double xMin = rateMin(steps);
        final double xMax = rateMax(steps);
        double lo = Math.pow(10, xMin);
        for (final StepResult s : steps) {
            if (s.committedPerSecond() > 0) {
                lo = Math.min(lo, s.committedPerSecond());
            }
        }
        final Panel p = new Panel(left, MARGIN_TOP, width, HEIGHT - MARGIN_TOP - MARGIN_BOTTOM, xMin, xMax,
            Math.log10(lo) - 0.1, xMax);
        frame(g, p, "Throughput (tx/s, log)", "offered rate (tx/s, log)", steps);
        for (final StepResult s : steps) {
            yTick(g, p, s.offeredPerSecond());
        }
        drawSeries(g, p, steps, series);
    }

    private static double rateMin(final List<StepResult> steps) {
        return Math.log10(steps.getFirst().offeredPerSecond()) - 0.1;
    }

    private static double rateMax(final List<StepResult> steps) {
        return Math.log10(steps.getLast().offeredPerSecond()) + 0.1;
    }

    private static void frame(final Graphics2D g, final Panel p, final String title, final String xLabel,
                              final List<StepResult> steps) {
        g.setColor(Color.BLACK);
        g.setStroke(THIN);
        g.drawRect(p.x(), p.y(), p.w(), p.h());
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
        g.drawString(title, p.x(), p.y() - 14);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        final FontMetrics fm = g.getFontMetrics();
        final TreeSet<Long> rates = new TreeSet<>();
        steps.forEach(s -> rates.add(Math.round(s.offeredPerSecond())));
        int lastLabelEnd = Integer.MIN_VALUE;
        for (final long rate : rates) {
            final int x = p.px(rate);
            g.setColor(new Color(0xe0e0e0));
            g.drawLine(x, p.y(), x, p.y() + p.h());
            final String label = String.format(Locale.ROOT, "%,d", rate);
            final int labelX = x - fm.stringWidth(label) / 2;
            if (labelX > lastLabelEnd + 4) {
                g.setColor(Color.BLACK);
                g.drawString(label, labelX, p.y() + p.h() + 18);
                lastLabelEnd = labelX + fm.stringWidth(label);
            }
        }
        g.setColor(Color.BLACK);
        g.drawString(xLabel, p.x() + (p.w() - fm.stringWidth(xLabel)) / 2, p.y() + p.h() + 40);
    }

    private static void yTick(final Graphics2D g, final Panel p, final double value) {
        final int y = p.py(value);
        if (y < p.y() || y > p.y() + p.h()) {
            return;
        }
        g.setStroke(THIN);
        g.setColor(new Color(0xe0e0e0));
        g.drawLine(p.x(), y, p.x() + p.w(), y);
        g.setColor(Color.BLACK);
        final String label = value >= 1 ? String.format(Locale.ROOT, "%,.0f", value)
            : String.format(Locale.ROOT, "%s", value);
        g.drawString(label, p.x() - 8 - g.getFontMetrics().stringWidth(label), y + 5);
    }

    private static void drawSeries(final Graphics2D g, final Panel p, final List<StepResult> steps,
                                   final List<Series> series) {
        int legendX = p.x();
        final int legendY = p.y() + p.h() + 70;
        for (final Series line : series) {
            g.setColor(line.color());
            g.setStroke(LINE);
            int prevX = -1;
            int prevY = -1;
            for (final StepResult s : steps) {
                final double v = line.value().applyAsDouble(s);
                if (!(v > 0)) {
                    continue;
                }
                final int x = p.px(s.offeredPerSecond());
                final int y = Math.max(p.y(), Math.min(p.y() + p.h(), p.py(v)));
                if (s.label().equals(HIGHLIGHTED)) {
                    // The headline point: a ring off the sweep's line, so a repeat of a swept rate stays visible.
                    g.setStroke(THIN);
                    g.drawOval(x - 8, y - 8, 17, 17);
                    g.drawString("½ sat", x + 10, y - 8);
                    g.setStroke(LINE);
                    continue;
                }
                if (prevX >= 0) {
                    g.drawLine(prevX, prevY, x, y);
                }
                g.fillOval(x - 4, y - 4, 9, 9);
                prevX = x;
                prevY = y;
            }
            g.fillRect(legendX, legendY - 10, 22, 10);
            g.setColor(Color.BLACK);
            g.drawString(line.name(), legendX + 28, legendY);
            legendX += 40 + g.getFontMetrics().stringWidth(line.name());
        }
    }
}
