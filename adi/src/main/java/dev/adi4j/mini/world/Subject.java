package dev.adi4j.mini.world;

/**
 * Who acts. Subjects differ by shape, not only by colour: proportions ({@link Anatomy}) and features drawn by
 * {@link Figures} (robot: square head and antenna; cat: pointed ears and a long tail; dog: floppy ears, snout and a
 * short tail; bear: round ears and a bulky body; bird: beak, wings and a tail fan; woman: long hair and a skirt;
 * child: small with a big head).
 */
public enum Subject {
    MAN("man", new Anatomy(0.32, 0.21, 0.03, 0.095, 0.17, 0.16, 0.24, 0.23, 0.11, 0.03, 0.05, 0.11, 0.12)),
    WOMAN("woman", new Anatomy(0.30, 0.17, 0.03, 0.09, 0.16, 0.15, 0.23, 0.22, 0.085, 0.03, 0.05, 0.10, 0.11)),
    CHILD("child", new Anatomy(0.22, 0.17, 0.02, 0.115, 0.12, 0.11, 0.15, 0.14, 0.08, 0.02, 0.045, 0.10, 0.11)),
    ROBOT("robot", new Anatomy(0.31, 0.27, 0.03, 0.12, 0.17, 0.16, 0.23, 0.22, 0.12, 0.04, 0.07, 0.10, 0.11)),
    CAT("cat", new Anatomy(0.28, 0.16, 0.02, 0.10, 0.15, 0.14, 0.21, 0.20, 0.08, 0.03, 0.045, 0.10, 0.10)),
    DOG("dog", new Anatomy(0.29, 0.18, 0.02, 0.10, 0.16, 0.15, 0.22, 0.21, 0.09, 0.03, 0.05, 0.11, 0.11)),
    BEAR("bear", new Anatomy(0.32, 0.34, 0.00, 0.125, 0.16, 0.14, 0.19, 0.17, 0.13, 0.05, 0.08, 0.16, 0.17)),
    BIRD("bird", new Anatomy(0.30, 0.30, 0.01, 0.09, 0.17, 0.17, 0.17, 0.17, 0.10, 0.05, 0.05, 0.09, 0.075));

    private final String word;
    private final Anatomy anatomy;

    Subject(String word, Anatomy anatomy) {
        this.word = word;
        this.anatomy = anatomy;
    }

    /** The caption word. */
    public String word() { return word; }

    public Anatomy anatomy() { return anatomy; }
}
