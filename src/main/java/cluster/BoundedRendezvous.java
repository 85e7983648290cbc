package cluster;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Which node should own which pipeline: rendezvous (highest-random-weight) hashing with bounded loads. Each pipeline
 * ranks the live nodes by a hash of (pipeline, node); taken in name order, each pipeline goes to the highest-ranked
 * node that holds fewer than ⌈pipelines / nodes⌉. Every node computes the same answer from the same members, a node
 * joining or leaving moves only the pipelines whose ranking it changes (plus those the bound pushes), and no node
 * holds more than ⌈pipelines / nodes⌉ — plain rendezvous hashing can put 4 of 6 pipelines on one node of 3.
 */
public final class BoundedRendezvous {

    private BoundedRendezvous() {
    }

    /** Pipeline → node, for every pipeline; empty when there are no members. */
    public static Map<String, String> assign(Collection<String> pipelines, Collection<String> members) {
        Map<String, String> owners = new TreeMap<>();
        if (members.isEmpty()) {
            return owners;
        }
        int cap = (pipelines.size() + members.size() - 1) / members.size();
        Map<String, Integer> load = new HashMap<>();
        for (String pipeline : pipelines.stream().sorted().distinct().toList()) {
            List<String> ranked = rank(pipeline, members);
            for (String node : ranked) {
                if (load.getOrDefault(node, 0) < cap) {
                    owners.put(pipeline, node);
                    load.merge(node, 1, Integer::sum);
                    break;
                }
            }
        }
        return owners;
    }

    /** The members in the pipeline's order of preference (highest weight first; ties, which a 64-bit hash makes rare, by name). */
    public static List<String> rank(String pipeline, Collection<String> members) {
        return members.stream().distinct()
                .sorted(Comparator.comparingLong((String m) -> weight(pipeline, m)).reversed().thenComparing(Comparator.naturalOrder()))
                .toList();
    }

    static long weight(String pipeline, String member) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(pipeline.getBytes(StandardCharsets.UTF_8));
            sha.update((byte) 0);
            sha.update(member.getBytes(StandardCharsets.UTF_8));
            return ByteBuffer.wrap(sha.digest()).getLong();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e); // every JVM has SHA-256
        }
    }
}
