import { Component, Injectable, signal } from '@angular/core';
@Injectable()
export class S { x = 1; }
@Component({ selector: 'x-a', template: '{{ v() }}' })
export class A { v = signal(1); }
