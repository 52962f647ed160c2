"""sheetsync: the 项目支出预算绩效目标表 as exact data."""
