import java.util.List;

/** Turns numeric scores into letter grades. */
public class Grades {
    public static char letter(int score) {
        if (score >= 90) {
            return 'A';
        } else if (score >= 80) {
            return 'B';
        } else if (score >= 70) {
            return 'C';
        }
        return 'F';
    }

    public static double average(List<Integer> scores) {
        if (scores.isEmpty()) {
            return 0.0;
        }
        int total = 0;
        for (int s : scores) {
            total += s;
        }
        return (double) total / scores.size();
    }
}
