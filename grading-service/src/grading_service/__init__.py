"""grading-service: the yearly grading of branches, from self-assessment to published level (晋位升级)."""
