console.log('bench TODO')
