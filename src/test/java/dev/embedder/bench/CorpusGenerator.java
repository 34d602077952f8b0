package dev.embedder.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * Writes the benchmark corpus: English sentences assembled from small word lists and clause templates
 * with a fixed seed, so every run of the generator yields the same file byte for byte.
 *
 * <p>Throughput of a transformer depends on how many tokens it sees and how much padding a batch
 * needs, so the length distribution matters more than the wording: mostly mid-length sentences (a
 * mean of roughly 36 MiniLM tokens, like sentences people actually send), a tail of short ones, and a
 * tail of long multi-clause ones up to about 120 words that make unsorted batches pad a lot. Numbers,
 * punctuation and a few non-ASCII names are mixed in so the tokenizer does realistic work.
 *
 * <p>Run {@code main} to regenerate {@code src/test/resources/bench/corpus.txt}; {@link
 * CorpusGeneratorTest} fails if the committed file and the generator drift apart.
 */
public final class CorpusGenerator {

    /** Changing the seed or any list below changes the corpus; regenerate and commit the file then. */
    static final long SEED = 0x5EED_2024L;
    static final int SENTENCES = 1200;
    static final int MAX_WORDS = 120;
    static final String DEFAULT_OUTPUT = "src/test/resources/bench/corpus.txt";

    private static final String[] NAMES = {
        "Anna", "Marcus", "Priya", "Tomás", "Zoë", "Kenji", "Fatima", "Olu", "Ingrid", "José", "Mei",
        "Łukasz", "Siobhán", "Dmitri", "Chloé", "Amara", "Jürgen", "Rosa", "Ibrahim", "Hana", "Ørjan",
        "Lucía", "Samuel", "Noor",
    };
    private static final String[] GROUPS = {
        "the committee", "our landlord", "a retired engineer", "the night shift", "the city council",
        "my grandmother", "the new intern", "a delivery driver", "the research team", "the orchestra",
        "the startup", "an old fisherman", "the school board", "the museum curator", "the support desk",
        "the hiking club", "two volunteers", "the project lead", "a local journalist", "the neighbours",
    };
    private static final String[] ADJECTIVES = {
        "old", "blue", "broken", "expensive", "quiet", "crowded", "wooden", "unfinished", "narrow",
        "forgotten", "tiny", "shiny", "handwritten", "overdue", "fragile", "second-hand", "enormous",
        "borrowed", "waterproof", "complicated",
    };
    private static final String[] NOUNS = {
        "bicycle", "report", "garden", "contract", "recipe", "bridge", "laptop", "letter", "warehouse",
        "playlist", "invoice", "telescope", "ferry schedule", "budget", "kitchen", "map", "manuscript",
        "server", "violin", "greenhouse", "spreadsheet", "boiler", "sailboat", "library card",
    };
    private static final String[] PAST_VERBS = {
        "repaired", "rejected", "painted", "reviewed", "photographed", "delivered", "forgot", "rebuilt",
        "sold", "borrowed", "measured", "cleaned", "translated", "approved", "misplaced", "redesigned",
        "inspected", "shipped", "rescued", "documented",
    };
    private static final String[] BASE_VERBS = {
        "repair", "review", "deliver", "clean", "check", "move", "sign", "update", "return", "paint",
        "label", "weigh",
    };
    private static final String[] PLACES = {
        "in Kraków", "near the harbour", "at the café on Rue Saint-Denis", "behind the train station",
        "in São Paulo", "on the third floor", "at the edge of town", "in a village outside Reykjavík",
        "next to the bakery", "in the basement", "by the river", "at gate 12", "in Zürich",
        "outside the town hall",
    };
    private static final String[] TIMES = {
        "last Tuesday", "before sunrise", "after lunch", "during the storm", "over the weekend",
        "every winter", "twice a year", "at the last minute", "later that evening", "in the spring",
    };
    private static final String[] MANNERS = {
        "carefully", "without telling anyone", "in a hurry", "with great patience", "for the first time",
        "almost by accident", "reluctantly", "as quietly as possible",
    };
    private static final String[] METRICS = {
        "revenue", "rainfall", "ticket sales", "the average commute time", "energy use", "the error rate",
        "membership", "water consumption", "traffic on the ring road", "the number of complaints",
    };
    private static final String[] CHANGES = {"rose", "fell", "grew", "dropped", "climbed", "shrank"};
    private static final String[] STATES = {
        "ready", "broken", "late again", "on the table", "still missing", "surprisingly heavy", "sold out",
        "finally fixed",
    };
    private static final String[] CONNECTORS = {
        ", and ", ", but ", "; meanwhile, ", " because ", ", although ", " — ", ", which meant that ",
        " while ", ", so ", "; in the end, ",
    };
    private static final String[] OPINIONS = {
        "nobody expected it to work", "it took longer than planned", "the results were mixed",
        "everyone agreed it was worth it", "the weather did not help", "the instructions were unclear",
    };

    private final Random random = new Random(SEED);

    public static void main(String[] args) throws IOException {
        Path out = Path.of(args.length > 0 ? args[0] : DEFAULT_OUTPUT);
        List<String> sentences = new CorpusGenerator().generate(SENTENCES);
        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.write(out, sentences, StandardCharsets.UTF_8);
        int words = sentences.stream().mapToInt(CorpusGenerator::wordCount).sum();
        System.out.printf("wrote %d sentences, %.1f words on average, to %s%n",
                sentences.size(), (double) words / sentences.size(), out);
    }

    /** {@code count} distinct sentences; duplicates (likely among the short ones) are drawn again. */
    public List<String> generate(int count) {
        Set<String> unique = new LinkedHashSet<>();
        while (unique.size() < count) {
            unique.add(sentence(targetWords()));
        }
        return new ArrayList<>(unique);
    }

    /**
     * Draws a length in words: about 12% short (3–8), 78% mid-length around 14 words with a right skew,
     * 10% long (40–115). Clauses are added until the length is reached, so sentences come out a few
     * words longer than drawn. A hand-made mixture rather than one distribution, because real traffic has
     * both chat-sized snippets and paragraph-sized passages.
     */
    private int targetWords() {
        double u = random.nextDouble();
        if (u < 0.12) {
            return 3 + random.nextInt(6);
        }
        if (u < 0.90) {
            double logNormal = Math.exp(Math.log(14) + 0.45 * random.nextGaussian());
            return (int) Math.max(9, Math.min(50, Math.round(logNormal)));
        }
        return 40 + random.nextInt(76);
    }

    private String sentence(int target) {
        if (target <= 8) {
            return shortSentence();
        }
        StringBuilder text = new StringBuilder(clause());
        int words = wordCount(text);
        while (words < target) {
            String next = pick(CONNECTORS) + (random.nextInt(5) == 0 ? pick(OPINIONS) : clause());
            int added = wordCount(next);
            // Stop rather than exceed the ceiling: the longest lines stay under ~120 words.
            if (words + added > MAX_WORDS) {
                break;
            }
            text.append(next);
            words += added;
        }
        return capitalize(text.toString()) + pick(".", ".", ".", "!", "...");
    }

    /** Chat-sized lines: greetings, imperatives, status checks, one-figure news. */
    private String shortSentence() {
        return switch (random.nextInt(6)) {
            case 0 -> pick(NAMES) + " " + pick(PAST_VERBS) + " the " + pick(NOUNS) + ".";
            case 1 -> capitalize(pick(BASE_VERBS)) + " the " + pick(ADJECTIVES) + " " + pick(NOUNS) + " "
                    + pick(TIMES) + ".";
            case 2 -> "Thanks a lot, " + pick(NAMES) + "!";
            case 3 -> "The " + pick(NOUNS) + " is " + pick(STATES) + ".";
            case 4 -> "Is the " + pick(NOUNS) + " " + pick(STATES) + "?";
            default -> capitalize(pick(METRICS)) + " " + pick(CHANGES) + " " + percent() + ".";
        };
    }

    private String clause() {
        return switch (random.nextInt(7)) {
            case 0 -> subject() + " " + pick(PAST_VERBS) + " " + object() + " " + pick(PLACES);
            case 1 -> subject() + " " + pick(PAST_VERBS) + " " + object() + " " + pick(MANNERS) + " "
                    + pick(TIMES);
            case 2 -> subject() + " reported that " + pick(METRICS) + " " + pick(CHANGES) + " by " + percent()
                    + " in Q" + (1 + random.nextInt(4)) + " " + year();
            case 3 -> subject() + " paid " + money() + " for " + object() + " " + pick(PLACES);
            case 4 -> "“" + capitalize(pick(BASE_VERBS)) + " the " + pick(NOUNS) + " before " + clock()
                    + ",” " + pick(NAMES) + " said";
            case 5 -> "the " + pick(NOUNS) + " " + pick(PLACES) + " was " + pick(STATES) + " (ref. "
                    + (1000 + random.nextInt(9000)) + "-" + (char) ('A' + random.nextInt(26)) + ")";
            default -> subject() + " " + pick(PAST_VERBS) + " " + random.nextInt(2, 40) + " "
                    + pick(ADJECTIVES) + " " + plural(pick(NOUNS)) + " " + pick(TIMES);
        };
    }

    private String subject() {
        return random.nextInt(3) == 0 ? pick(NAMES) : pick(GROUPS);
    }

    private String object() {
        String article = random.nextBoolean() ? "the " : "a ";
        String phrase = random.nextBoolean() ? pick(ADJECTIVES) + " " + pick(NOUNS) : pick(NOUNS);
        if (article.equals("a ") && "aeiou".indexOf(phrase.charAt(0)) >= 0) {
            article = "an ";
        }
        return article + phrase;
    }

    private String percent() {
        return random.nextBoolean()
                ? random.nextInt(1, 60) + "%"
                : String.format(java.util.Locale.ROOT, "%.1f%%", random.nextInt(1, 400) / 10.0);
    }

    private String money() {
        int amount = random.nextInt(5, 25_000);
        String currency = pick("€", "$", "£", "CHF ");
        return currency + String.format(java.util.Locale.ROOT, "%,d", amount)
                + (random.nextInt(3) == 0 ? "." + random.nextInt(10, 100) : "");
    }

    private String clock() {
        return random.nextInt(6, 23) + ":" + pick("00", "15", "30", "45");
    }

    private String year() {
        return Integer.toString(1998 + random.nextInt(28));
    }

    private static String plural(String noun) {
        if (noun.endsWith("y") && !noun.endsWith("ay")) {
            return noun.substring(0, noun.length() - 1) + "ies";
        }
        return noun.endsWith("s") || noun.endsWith("h") ? noun + "es" : noun + "s";
    }

    private String pick(String... options) {
        return options[random.nextInt(options.length)];
    }

    private static String capitalize(String s) {
        int start = s.startsWith("“") ? 1 : 0;
        return s.substring(0, start) + Character.toUpperCase(s.charAt(start)) + s.substring(start + 1);
    }

    static int wordCount(CharSequence text) {
        String trimmed = text.toString().trim();
        return trimmed.isEmpty() ? 0 : trimmed.split("\\s+").length;
    }
}
