// Every test runs with the strict transaction check: a query that a flow runs beside the
// transaction it holds fails at once instead of risking a pool deadlock on MySQL.
process.env.KEFU_STRICT_TRANSACTIONS = '1';
