import '@xterm/xterm/css/xterm.css'
import './app.css'
import { render } from 'preact'
import { App } from './app'
import { Connection, initialState, type PageState } from './connection'

const root = document.getElementById('app')!
let write: ((text: string) => void) | undefined
let early = ''

const draw = (state: PageState) =>
  render(
    <App
      state={state}
      send={(message) => connection.send(message)}
      typed={(data) => connection.typed(data)}
      attachTerminal={(writer) => {
        write = writer
        if (early !== '') writer(early)
        early = ''
      }}
    />,
    root,
  )

const connection = new Connection(draw, (text) => {
  if (write === undefined) early += text
  else write(text)
})
draw(initialState)
