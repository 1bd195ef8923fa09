package dev.adi4j.mini.world;

import java.util.List;

/** Which values a dataset draws from; every list non-empty and without repeats. */
public record Mix(List<Subject> subjects, List<Action> actions, List<BodyColor> colors, List<Background> backgrounds) {
    public Mix {
        subjects = checked("subjects", subjects);
        actions = checked("actions", actions);
        colors = checked("colors", colors);
        backgrounds = checked("backgrounds", backgrounds);
    }

    /** Every subject, colour and background and the eight actions ({@link Action#performed()}, no standing). */
    public static Mix all() {
        return new Mix(List.of(Subject.values()), Action.performed(), List.of(BodyColor.values()),
                List.of(Background.values()));
    }

    public Mix withSubjects(Subject... s) { return new Mix(List.of(s), actions, colors, backgrounds); }

    public Mix withActions(Action... a) { return new Mix(subjects, List.of(a), colors, backgrounds); }

    public Mix withColors(BodyColor... c) { return new Mix(subjects, actions, List.of(c), backgrounds); }

    public Mix withBackgrounds(Background... b) { return new Mix(subjects, actions, colors, List.of(b)); }

    private static <T> List<T> checked(String what, List<T> values) {
        List<T> copy = List.copyOf(values);
        if (copy.isEmpty()) throw new IllegalArgumentException("a mix needs at least one of " + what);
        if (copy.stream().distinct().count() != copy.size()) {
            throw new IllegalArgumentException(what + " repeat a value: " + copy);
        }
        return copy;
    }
}
