"""Reports (process and final evaluation reports, rectification notices, defect register): built from DTOs with reportlab; no session held, no Qt."""
