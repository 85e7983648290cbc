package sources.postgres;

import model.TableId;
import org.junit.jupiter.api.Test;
import sources.postgres.PostgresSnapshotChunks.Chunk;
import sources.postgres.PostgresSnapshotChunks.Table;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class PostgresSnapshotChunksTest {

    static Table table(String name, long pages, long rowsPerPage, boolean partitioned) {
        return new Table(new TableId("db", "public", name), "\"public\".\"" + name + "\"", List.of("id"), pages, rowsPerPage, partitioned);
    }

    @Test
    void pagesCutIntoRangesOfAboutChunkRowsTheLastOpenEnded() {
        Table t = table("orders", 10, 100, false);
        List<Chunk> chunks = PostgresSnapshotChunks.chunks(List.of(t), 300);
        assertEquals(List.of(new Chunk(t, 0, 3), new Chunk(t, 3, 6), new Chunk(t, 6, 9), new Chunk(t, 9, Long.MAX_VALUE)), chunks);
    }

    @Test
    void emptyAndPartitionedTablesAreOneChunkAndDenseTablesAtLeastAPagePerChunk() {
        Table empty = table("empty", 0, 100, false);
        Table parted = table("parted", 0, 100, true);
        Table dense = table("dense", 2, 5000, false);
        assertEquals(List.of(new Chunk(empty, 0, Long.MAX_VALUE), new Chunk(parted, 0, -1), new Chunk(dense, 0, 1), new Chunk(dense, 1, Long.MAX_VALUE)),
                PostgresSnapshotChunks.chunks(List.of(empty, parted, dense), 1000));
    }

    @Test
    void identifiersQuoted() {
        assertEquals("\"we\"\"ird\"", PostgresSnapshotChunks.quote("we\"ird"));
    }
}
