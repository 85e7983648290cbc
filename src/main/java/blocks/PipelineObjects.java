package blocks;

import config.PipelineLoader;
import config.PipelineSpec.ObjectSpec;
import model.TableId;
import model.TableRouting;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import processors.ColumnProjection;
import processors.ObjectSelector;
import processors.RenameFollower;
import processors.RowFilter;

import java.util.List;

/**
 * A pipeline file's {@code objects:} as one bean: the same YAML list in the property {@code objects}, validated as in a
 * pipeline file (every error with its key). It is the route's steps over the objects, each a method —
 * {@code select} (the objects' tables only; the bean is also a processor that selects), {@code where},
 * {@code columns} (projection and renames), {@code followRenames} (a binlog source's table renames) — and where each
 * table goes ({@link TableRouting}: topic, sharding columns, JDBC target, HDFS folder) for a sink endpoint's
 * {@code routing=#bean:NAME} and a snapshot ledger. {@code routes export} writes pipelines with it.
 * <pre>
 * - beans:
 *     - name: orders
 *       type: blocks.PipelineObjects
 *       properties:
 *         pipeline: orders
 *         objects: |
 *           - table: public.orders
 *             where: status = 'paid'
 *             columns: [id, amount]
 * </pre>
 */
public class PipelineObjects implements Processor, TableRouting {

    private String pipeline;
    private String objects;
    private boolean keepDdl;
    private volatile Steps steps;

    private record Steps(ObjectSelector selector, RowFilter where, ColumnProjection columns, RenameFollower renames) {
    }

    public String getPipeline() {
        return pipeline;
    }

    /** Names the default topics ({@code PIPELINE.{schema}.{table}}), as a pipeline's name does. */
    public void setPipeline(String pipeline) {
        this.pipeline = pipeline;
        steps = null;
    }

    public String getObjects() {
        return objects;
    }

    public void setObjects(String objects) {
        this.objects = objects;
        steps = null;
    }

    public boolean isKeepDdl() {
        return keepDdl;
    }

    /** {@code followRenames} passes the DDL on (the format writes DDL messages); else only rows go on. */
    public void setKeepDdl(boolean keepDdl) {
        this.keepDdl = keepDdl;
        steps = null;
    }

    private Steps steps() {
        Steps s = steps;
        if (s == null) {
            if (objects == null || objects.isBlank()) {
                throw new IllegalArgumentException("PipelineObjects.objects: missing (the objects: list of a pipeline file, as YAML)");
            }
            List<ObjectSpec> list = new PipelineLoader().parseObjects("PipelineObjects.objects", pipeline == null ? "tributary" : pipeline, objects);
            ObjectSelector selector = new ObjectSelector(list);
            s = new Steps(selector, new RowFilter(selector), new ColumnProjection(selector), new RenameFollower(selector, keepDdl));
            steps = s;
        }
        return s;
    }

    /** The same as {@link #select}. */
    @Override
    public void process(Exchange exchange) throws Exception {
        select(exchange);
    }

    /** Keeps the changes of the objects' tables (and DDL of them). */
    public void select(Exchange exchange) throws Exception {
        steps().selector().process(exchange);
    }

    /** {@code objects[].where}: rows outside the condition dropped, updates across it turned into inserts or deletes. */
    public void where(Exchange exchange) throws Exception {
        steps().where().process(exchange);
    }

    /** {@code objects[].columns} and {@code objects[].rename}. */
    public void columns(Exchange exchange) throws Exception {
        steps().columns().process(exchange);
    }

    /** A binlog source: a selected table renamed in the source keeps its objects' settings under its new name. */
    public void followRenames(Exchange exchange) throws Exception {
        steps().renames().process(exchange);
    }

    @Override
    public String topicOf(TableId table) {
        return steps().selector().topicOf(table);
    }

    @Override
    public List<String> shardingColumnsOf(TableId table) {
        return steps().selector().shardingColumnsOf(table);
    }

    @Override
    public String targetTableOf(TableId table) {
        return steps().selector().targetTableOf(table);
    }

    @Override
    public String folderOf(TableId table) {
        return steps().selector().folderOf(table);
    }
}
