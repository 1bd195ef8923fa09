package dev.adi4j.mini.bench;

/**
 * Counts of judged images, scored as the paper's table: Action = % of images the judge labels with the target action,
 * Subject = % with the prompted subject, Total = % with both.
 */
public record Score(int images, int actionHits, int subjectHits, int bothHits) {
    public static final Score EMPTY = new Score(0, 0, 0, 0);

    public Score plus(Score o) {
        return new Score(images + o.images, actionHits + o.actionHits, subjectHits + o.subjectHits, bothHits + o.bothHits);
    }

    public Score plus(boolean action, boolean subject) {
        return new Score(images + 1, actionHits + (action ? 1 : 0), subjectHits + (subject ? 1 : 0),
                bothHits + (action && subject ? 1 : 0));
    }

    public double action() { return percent(actionHits); }

    public double subject() { return percent(subjectHits); }

    public double total() { return percent(bothHits); }

    private double percent(int hits) {
        return images == 0 ? 0 : 100.0 * hits / images;
    }
}
