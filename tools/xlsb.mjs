// Saves a workbook again as .xlsb (Excel's binary format) with SheetJS, which
// writes cells as "short" records as Excel does: for the biểu fixtures.
//   node tools/xlsb.mjs in.xlsx out.xlsb
import { readFileSync, writeFileSync } from 'node:fs';
import XLSX from 'xlsx';

const [from, to] = process.argv.slice(2);
writeFileSync(to, XLSX.write(XLSX.read(readFileSync(from)), { bookType: 'xlsb', type: 'buffer' }));
