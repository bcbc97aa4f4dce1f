// docker-compose.yml: MongoDB runs with authentication. The mongo image runs
// this once, as the root user, when it initialises an empty data volume
// (/docker-entrypoint-initdb.d). Each Clarion service with a database gets a
// user of its own, defined in its own database (its MONGO_URL says
// authSource=clarion_<service>), with readWrite there and no right anywhere
// else: a stolen service password reads one service's data, not the others'.
// The passwords come from the mongo container's environment, set from .env
// (see .env.example). Changing one later is db.updateUser (README, operators).
/* global db */
const SERVICES_WITH_A_DATABASE = ['alerts', 'subscriptions', 'delivery'];

for (const service of SERVICES_WITH_A_DATABASE) {
  const variable = `MONGO_${service.toUpperCase()}_PASSWORD`;
  const password = process.env[variable];
  if (!password) throw new Error(`${variable} is not set: the ${service} service would have no database user`);
  const database = `clarion_${service}`;
  db.getSiblingDB(database).createUser({ user: service, pwd: password, roles: [{ role: 'readWrite', db: database }] });
}
