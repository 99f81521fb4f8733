// Peer `express`: Express 5 with express-oauth2-jwt-bearer (HS256 secret, no discovery).
import express from 'express'
import { auth, requiredScopes } from 'express-oauth2-jwt-bearer'
import { AUDIENCE, ISSUER, SECRET } from '../lib/tokens.js'
import { announce, BODY, HOST } from './common.js'

const app = express()
app.use(auth({ secret: SECRET, tokenSigningAlg: 'HS256', issuer: ISSUER, audience: AUDIENCE }))
app.get('/chats', requiredScopes('read:chat'), function chats (req, res) { res.json(BODY) })
// JSON errors instead of Express's HTML page; the status comes from the library's error.
app.use(function jsonErrors (err, req, res, next) {
  res.status(err.status ?? 500).json({ error: err.message })
})
const server = app.listen(0, HOST, () => announce(server))
