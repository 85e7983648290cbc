package sinks.hdfs;

import model.ChangeEvent;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;

/**
 * Formats of one record per line (JSON lines, CSV): the temporary file already has the final format, so publishing is
 * a rename, and recovery cuts a torn last line off (truncate) before the rename.
 */
abstract class LineFormat implements PartFormat {

    /** The file's first line(s) for these columns; empty for none. */
    abstract byte[] header(Map<String, String> columns);

    /** Whether {@code b} may end a record, given the bytes before it ({@link #recover} scans the file once). */
    abstract RecordEnds recordEnds();

    /** Tracks where records end while a file is scanned byte by byte. */
    interface RecordEnds {
        boolean endsRecord(int b);
    }

    /** Writes records to an open part file; {@link #flush} hands what it buffers to the stream. */
    interface LineWriter {
        void write(ChangeEvent event) throws IOException;

        void flush() throws IOException;
    }

    /** The writer of one part file's records (after its header), each ending with its line terminator. */
    abstract LineWriter lines(FSDataOutputStream out, Map<String, String> columns) throws IOException;

    @Override
    public PartWriter create(FileSystem fs, Path temp, String table, Map<String, String> columns) throws IOException {
        FSDataOutputStream out = fs.create(temp, false);
        out.write(header(columns));
        LineWriter lines = lines(out, columns);
        return new PartWriter() {
            long records;

            @Override
            public void write(ChangeEvent event) throws IOException {
                lines.write(event);
                records++;
            }

            @Override
            public void sync(boolean hsync) throws IOException {
                lines.flush();
                if (hsync) {
                    out.hsync();
                } else {
                    out.hflush();
                }
            }

            @Override
            public long bytes() {
                return out.size();
            }

            @Override
            public long records() {
                return records;
            }

            @Override
            public void publish(FileSystem fs, Path target) throws IOException {
                lines.flush();
                out.close();
                Parts.rename(fs, temp, target);
            }

            @Override
            public void abandon() {
                Parts.closeQuietly(out);
            }
        };
    }

    @Override
    public long recover(FileSystem fs, Path temp, Path target) throws IOException {
        Parts.recoverLease(fs, temp);
        long length = fs.getFileStatus(temp).getLen();
        long end = 0;
        long records = 0;
        RecordEnds ends = recordEnds();
        try (FSDataInputStream raw = fs.open(temp); InputStream in = new BufferedInputStream(raw, 1 << 16)) {
            long at = 0;
            for (int b = in.read(); b >= 0; b = in.read()) {
                at++;
                if (ends.endsRecord(b)) {
                    end = at;
                    records++;
                }
            }
        }
        records -= headerLines();
        if (records <= 0) {
            fs.delete(temp, false);
            return 0;
        }
        if (end < length) {
            Parts.truncate(fs, temp, end);
        }
        Parts.rename(fs, temp, target);
        return records;
    }

    /** Lines of {@link #header} (not records). */
    int headerLines() {
        return 0;
    }
}
