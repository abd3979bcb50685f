import PDFDocument from 'pdfkit';
import type { Lang } from '../platform/i18n.ts';
import { fromRoot } from '../platform/paths.ts';
import type { InvoiceSide } from './present.ts';

/** The GC fonts (WOFF, which pdfkit embeds through fontkit): Lato for headings, Noto Sans for text. */
const fonts = {
  heading: fromRoot('node_modules/@gcds-core/fonts/fonts/lato/gcds-lato.woff'),
  body: fromRoot('node_modules/@gcds-core/fonts/fonts/noto-sans/gcds-noto-sans-regular.woff'),
  bold: fromRoot('node_modules/@gcds-core/fonts/fonts/noto-sans/gcds-noto-sans-bold.woff'),
};

const NAVY = '#26374a';
const MARGIN = 56;

function side(doc: PDFKit.PDFDocument, s: InvoiceSide): void {
  const width = doc.page.width - 2 * MARGIN;
  doc.font('heading').fontSize(22).fillColor(NAVY).text(s.heading, { width });
  doc.moveDown(0.5);
  doc.fillColor('black');
  for (const row of s.rows) {
    doc.font('bold').fontSize(10).text(`${row.label}`, { continued: true });
    doc.font('body').text(`  ${row.value}`);
  }
  doc.moveDown(0.8);
  for (const block of [s.supplier, s.billTo]) {
    doc.font('bold').fontSize(11).fillColor(NAVY).text(block.label);
    doc.fillColor('black').font('body').fontSize(10);
    for (const line of block.lines) doc.text(line);
    doc.moveDown(0.5);
  }
  doc.moveDown(0.3);
  for (const amount of s.amounts) {
    const y = doc.y;
    doc.font(amount.total ? 'bold' : 'body').fontSize(amount.total ? 12 : 10);
    doc.text(amount.label, MARGIN, y, { width: width * 0.65 });
    doc.text(amount.value, MARGIN + width * 0.65, y, { width: width * 0.35, align: 'right' });
  }
  doc.moveDown(0.8);
  doc.font('body').fontSize(9).fillColor('#333333').text(s.note, MARGIN, doc.y, { width });
}

/**
 * The invoice as a PDF, English then French, each on its own Letter-size page (it prints on A4
 * as well: the margins leave room). Text stays text, so it can be read back and searched.
 */
export function invoicePdf(sides: InvoiceSide[]): Promise<Buffer> {
  const doc = new PDFDocument({
    size: 'LETTER',
    margin: MARGIN,
    info: { Title: sides.map((s) => s.heading).join(' / ') },
  });
  doc.registerFont('heading', fonts.heading);
  doc.registerFont('body', fonts.body);
  doc.registerFont('bold', fonts.bold);
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  for (const [i, s] of sides.entries()) {
    if (i > 0) doc.addPage();
    side(doc, s);
  }
  doc.end();
  return done;
}

/** `invoice-MA-2026-0001-1.pdf` / `facture-….pdf`: only characters safe in a header. */
export function pdfFileName(invoiceNumber: string, lang: Lang): string {
  const safe = invoiceNumber.replace(/[^\w.-]+/g, '-');
  return `${lang === 'fr' ? 'facture' : 'invoice'}-${safe}.pdf`;
}
