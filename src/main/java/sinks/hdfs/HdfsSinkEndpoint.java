package sinks.hdfs;

import model.TableRouting;
import org.apache.camel.Category;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.UriEndpoint;
import org.apache.camel.spi.UriParam;
import sinks.SinkComponent;
import sinks.SinkEndpoint;


/**
 * The HDFS sink in a hand-written route: per table and partition a part file, each batch flushed (or synced) before
 * the exchange completes, files published by rename when they roll (docs/sinks/hdfs.md).
 */
@UriEndpoint(firstVersion = "0.1.0", scheme = "tributary-hdfs", title = "Tributary HDFS", syntax = "tributary-hdfs:name",
        producerOnly = true, category = {Category.FILE, Category.BIGDATA})
public class HdfsSinkEndpoint extends SinkEndpoint {

    @UriParam(description = "The file system: hdfs://namenode:port, viewfs://..., or file:///")
    @Metadata(required = true)
    private String uri;
    @UriParam(description = "Base folder of every table folder (absolute)")
    @Metadata(required = true)
    private String path;
    @UriParam(defaultValue = "jsonl", enums = "jsonl,csv,parquet", description = "File format")
    private String fileFormat;
    @UriParam(defaultValue = "dt={yyyy-MM-dd}", description = "Partition folder from the commit time ({pattern}: java.time); empty: none")
    private String partition;
    @UriParam(label = "routing", description = "A table's folder, {database}, {schema} and {table} replaced; relative to path unless it starts with / (default {database}/{table})")
    private String folder;
    @UriParam(defaultValue = "134217728", description = "A file rolls at this size")
    private Integer rollBytes;
    @UriParam(defaultValue = "1000000", description = "... or this many records")
    private Integer rollRecords;
    @UriParam(defaultValue = "300000", description = "... or this age")
    private Integer rollAgeMs;
    @UriParam(defaultValue = "hflush", enums = "hflush,hsync", description = "hflush: on the data nodes' memory; hsync: on their disks")
    private String sync;
    @UriParam(description = "The Hadoop user to act as")
    private String user;

    public HdfsSinkEndpoint(String uri, SinkComponent component) {
        super(uri, component);
    }

    @Override
    protected String type() {
        return "hdfs";
    }

    @Override
    protected TableRouting templateRouting() {
        return routing(null, null, folder, null);
    }

    public String getUri() {
        return uri;
    }

    public void setUri(String uri) {
        this.uri = uri;
    }

    public String getPath() {
        return path;
    }

    public void setPath(String path) {
        this.path = path;
    }

    public String getFileFormat() {
        return fileFormat;
    }

    public void setFileFormat(String fileFormat) {
        this.fileFormat = fileFormat;
    }

    public String getPartition() {
        return partition;
    }

    public void setPartition(String partition) {
        this.partition = partition;
    }

    public String getFolder() {
        return folder;
    }

    public void setFolder(String folder) {
        this.folder = folder;
    }

    public Integer getRollBytes() {
        return rollBytes;
    }

    public void setRollBytes(Integer rollBytes) {
        this.rollBytes = rollBytes;
    }

    public Integer getRollRecords() {
        return rollRecords;
    }

    public void setRollRecords(Integer rollRecords) {
        this.rollRecords = rollRecords;
    }

    public Integer getRollAgeMs() {
        return rollAgeMs;
    }

    public void setRollAgeMs(Integer rollAgeMs) {
        this.rollAgeMs = rollAgeMs;
    }

    public String getSync() {
        return sync;
    }

    public void setSync(String sync) {
        this.sync = sync;
    }

    public String getUser() {
        return user;
    }

    public void setUser(String user) {
        this.user = user;
    }
}
