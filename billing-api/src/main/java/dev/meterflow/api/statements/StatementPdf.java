package dev.meterflow.api.statements;

import com.openhtmltopdf.pdfboxout.PdfRendererBuilder;
import com.openhtmltopdf.util.XRLog;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/** A statement as PDF: the printable page rendered by openhtmltopdf (PDFBox), so both show the same text. */
public final class StatementPdf {

    static {
        XRLog.setLoggerImpl(new PdfLog());
    }

    private StatementPdf() {
    }

    public static byte[] render(Statement statement) {
        ByteArrayOutputStream pdf = new ByteArrayOutputStream(16 * 1024);
        try {
            PdfRendererBuilder builder = new PdfRendererBuilder();
            builder.useFastMode();
            builder.withHtmlContent(StatementHtml.render(statement), null);
            builder.toStream(pdf);
            builder.run();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot render the statement as PDF", e);
        }
        return pdf.toByteArray();
    }
}
