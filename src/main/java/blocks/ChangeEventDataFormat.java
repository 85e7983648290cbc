package blocks;

import formats.ChangeEventFormat;
import formats.FormatSpec;
import formats.Formats;
import model.ChangeEvent;
import org.apache.camel.Exchange;
import org.apache.camel.spi.DataFormat;
import org.apache.camel.spi.DataFormatName;
import org.apache.camel.support.service.ServiceSupport;

import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;

/**
 * A Tributary format as a Camel data format: {@code marshal: {custom: canal}} turns the body — one
 * {@link ChangeEvent}, or a batch ({@code List<ChangeEvent>}) — into the format's JSON: one message, or one message per
 * line for a batch (JSON lines, as the HDFS sink writes). The named ones ({@code debezium}, {@code canal},
 * {@code maxwell}, {@code oms-default}, {@code oms-extend}, {@code dataworks}, {@code shareplex}, {@code json-row}) are in
 * the registry with default options; declare a bean of this class for others ({@code format}, {@code ddl},
 * {@code transactionSequence}, {@code businessSystemId}, {@code updateMode}, {@code decimalAsString}, {@code typedValues}).
 * An event of several messages (a DataWorks update) becomes one line per message. {@code unmarshal} reads one message
 * back into its changes.
 */
public class ChangeEventDataFormat extends ServiceSupport implements DataFormat, DataFormatName {

    private String format = "debezium";
    private boolean ddl;
    private boolean transactionSequence;
    private String businessSystemId;
    private String updateMode = "split";
    private boolean decimalAsString;
    private boolean typedValues;
    private volatile ChangeEventFormat encoder;

    public ChangeEventDataFormat() {
    }

    public ChangeEventDataFormat(String format) {
        this.format = format;
    }

    @Override
    public String getDataFormatName() {
        return format;
    }

    public String getFormat() {
        return format;
    }

    public void setFormat(String format) {
        this.format = format;
        encoder = null;
        reader = null;
    }

    public void setDdl(boolean ddl) {
        this.ddl = ddl;
        encoder = null;
    }

    public void setTransactionSequence(boolean transactionSequence) {
        this.transactionSequence = transactionSequence;
        encoder = null;
    }

    public void setBusinessSystemId(String businessSystemId) {
        this.businessSystemId = businessSystemId;
        encoder = null;
    }

    /** dataworks: {@code split} (an update as two messages) or {@code combined}. */
    public void setUpdateMode(String updateMode) {
        this.updateMode = updateMode;
        encoder = null;
    }

    /** dataworks: decimals typed STRING with their exact text. */
    public void setDecimalAsString(boolean decimalAsString) {
        this.decimalAsString = decimalAsString;
        encoder = null;
    }

    /** shareplex: numbers and booleans as JSON numbers and booleans. */
    public void setTypedValues(boolean typedValues) {
        this.typedValues = typedValues;
        encoder = null;
    }

    ChangeEventFormat encoder() {
        ChangeEventFormat e = encoder;
        if (e == null) {
            e = Formats.create(new FormatSpec(format, transactionSequence, businessSystemId, ddl, !"combined".equals(updateMode),
                    decimalAsString, typedValues));
            encoder = e;
        }
        return e;
    }

    @Override
    public void marshal(Exchange exchange, Object graph, OutputStream stream) throws Exception {
        ChangeEventFormat e = encoder();
        if (graph instanceof ChangeEvent event) {
            stream.write(e.encode(event));
            return;
        }
        if (!(graph instanceof List<?> batch)) {
            throw new IllegalArgumentException("the " + format + " data format marshals a ChangeEvent or a List<ChangeEvent>, not "
                    + (graph == null ? "null" : graph.getClass().getName()));
        }
        for (Object o : batch) {
            ChangeEvent event = (ChangeEvent) o;
            if (event.op() == model.Op.DDL && !e.carriesDdl()) {
                continue; // as the sinks do: a format without DDL messages leaves schema changes out
            }
            stream.write(e.encode(event));
            stream.write('\n');
        }
    }

    /**
     * One message back into its changes, {@code List<ChangeEvent>} (none, one, or a Canal message's rows). The key, when
     * the message has one, names the key columns: the header {@code kafka.KEY} (camel-kafka) or {@code TributaryKey}.
     * A DataWorks update is two messages: one data format reads one partition's messages, in order.
     */
    @Override
    public Object unmarshal(Exchange exchange, InputStream stream) throws Exception {
        Object key = exchange.getIn().getHeader("kafka.KEY");
        if (key == null) {
            key = exchange.getIn().getHeader("TributaryKey");
        }
        byte[] keyBytes = key == null ? null : key instanceof byte[] b ? b : String.valueOf(key).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        return reader().read(keyBytes, stream.readAllBytes());
    }

    private volatile formats.ChangeEventReader reader;

    private synchronized formats.ChangeEventReader reader() {
        if (reader == null) {
            reader = Formats.reader(format, null);
        }
        return reader;
    }

    @Override
    protected void doStart() {
        encoder(); // an unknown format name fails the route's start, not its first message
    }
}
