"""Outputs: what a result becomes on disk or in a notebook, above the core and beside nothing else.

``text_files`` (clustered.csv with formulas neutralized, JSON, the output folder), ``excel_writer``
(an .xlsx from titled blocks, streamed by ``sheet_stream`` when big) and ``workbook`` (which sheets
clustered.xlsx holds), ``summary`` (summary.json), ``model_file`` (model.json, read back without
running code), ``notebook`` (how a result shows itself in Jupyter) and ``palette`` (the clusters'
colours, shared by every output, the report and the web app) and ``number_formats`` (each column's
decimals, the same in the workbook, the report and the web app).
"""

from .excel_writer import EXCEL_MAX_ROWS, write_workbook
from .model_file import load_model, model_from_dict, model_to_dict, save_model
from .notebook import notebook_html
from .palette import PALETTE, cluster_colour
from .summary import run_summary
from .text_files import clean_json, neutralize_formulas, output_folder, write_csv, write_json
from .workbook import workbook_sheets

__all__ = [
    "EXCEL_MAX_ROWS",
    "PALETTE",
    "clean_json",
    "cluster_colour",
    "load_model",
    "model_from_dict",
    "model_to_dict",
    "neutralize_formulas",
    "notebook_html",
    "output_folder",
    "run_summary",
    "save_model",
    "workbook_sheets",
    "write_csv",
    "write_json",
    "write_workbook",
]
